using Microsoft.Extensions.Logging;

namespace SbdServer.PhoneServices;

internal static partial class PhoneServicesLog
{
    // Event ids 7000-7099 belong to the HTTPS phone services. Never renumber or reuse an id.
    [LoggerMessage(EventId = 7000, Level = LogLevel.Information,
        Message = "Phone services (HTTPS) listening on {Url}, TLS 1.0/1.1 {Legacy}, certificate SHA-256 {Sha256}")]
    public static partial void Listening(ILogger logger, string url, string legacy, string? sha256);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information,
        Message = "Phone services certificate (re)loaded: SHA-256 {Sha256}, subject {Subject}")]
    public static partial void CertificateReloaded(ILogger logger, string sha256, string subject);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Error,
        Message = "Phone services certificate reload failed; new connections keep getting SHA-256 {Sha256}")]
    public static partial void CertificateReloadFailed(ILogger logger, Exception exception, string sha256);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information,
        Message = "authenticate.jsp for user {User}, device {Device} from {Remote}: {Result}")]
    public static partial void Authentication(ILogger logger, string user, string device, string remote, string result);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning,
        Message = "authenticate.jsp refused for {Remote}: {Failures} failed attempts in the current window")]
    public static partial void AuthenticationRateLimited(ILogger logger, string remote, int failures);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Error,
        Message = "authenticate.jsp could not look up device {Device}; answered ERROR")]
    public static partial void DeviceLookupFailed(ILogger logger, Exception exception, string device);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Information,
        Message = "Phone services connection from {Remote}: TLS {Kind}: {Reason}")]
    public static partial void HandshakeFailed(ILogger logger, string remote, string kind, string reason);

    [LoggerMessage(EventId = 7008, Level = LogLevel.Warning,
        Message = "Phone services suppressed {Count} similar {Kind} line(s) from {Peer} in the last {Seconds} s (counted in /metrics)")]
    public static partial void WarningsSuppressed(ILogger logger, long count, string kind, string peer, int seconds);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Information, Message = "Phone services stopped")]
    public static partial void Stopped(ILogger logger);
}
