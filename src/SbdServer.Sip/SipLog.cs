using Microsoft.Extensions.Logging;

namespace SbdServer.Sip;

/// <summary>Secure SIP listener log lines, event ids 8500-8599 (docs/runbook.md). Peer text arrives escaped.</summary>
internal static partial class SipLog
{
    [LoggerMessage(EventId = 8500, Level = LogLevel.Information,
        Message = "SIP TLS listening on {EndPoint} (TLS 1.0 {Tls10}), CallManager certificate SHA-256 {Sha256}")]
    public static partial void Listening(ILogger logger, string endPoint, string tls10, string sha256);

    [LoggerMessage(EventId = 8501, Level = LogLevel.Information, Message = "SIP TLS certificate loaded: SHA-256 {Sha256} {Subject}")]
    public static partial void CertificateReloaded(ILogger logger, string sha256, string subject);

    [LoggerMessage(EventId = 8502, Level = LogLevel.Error,
        Message = "SIP TLS certificate reload failed; new connections keep SHA-256 {Sha256}")]
    public static partial void CertificateReloadFailed(ILogger logger, Exception exception, string sha256);

    [LoggerMessage(EventId = 8503, Level = LogLevel.Warning,
        Message = "SIP TLS has no certificate source; the listener stays off")]
    public static partial void NoCertificateSource(ILogger logger);

    [LoggerMessage(EventId = 8504, Level = LogLevel.Information, Message = "SIP TLS stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 8510, Level = LogLevel.Information,
        Message = "SIP {Method} from {Remote} (device {Device}): {Code} {Reason}")]
    public static partial void Answered(ILogger logger, string method, string remote, string device, int code, string reason);

    [LoggerMessage(EventId = 8511, Level = LogLevel.Warning, Message = "SIP connection {Remote} closed without an answer: {Reason}")]
    public static partial void ProtocolViolation(ILogger logger, string remote, string reason);

    [LoggerMessage(EventId = 8512, Level = LogLevel.Warning, Message = "SIP TLS handshake with {Remote} failed: {Reason}")]
    public static partial void HandshakeFailed(ILogger logger, string remote, string reason);

    [LoggerMessage(EventId = 8513, Level = LogLevel.Warning,
        Message = "SIP TLS refused a connection from {Remote}: {Limit} limit of {Max} reached")]
    public static partial void LimitReached(ILogger logger, string remote, string limit, int max);

    [LoggerMessage(EventId = 8514, Level = LogLevel.Error, Message = "SIP TLS accept failed")]
    public static partial void AcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 8515, Level = LogLevel.Error, Message = "SIP connection {Remote} failed")]
    public static partial void InternalError(ILogger logger, Exception exception, string remote);

    [LoggerMessage(EventId = 8517, Level = LogLevel.Information,
        Message = "SIP device {Device} at {Remote} authenticated by its {Kind} {Subject}")]
    public static partial void Authenticated(ILogger logger, string device, string remote, string kind, string subject);

    [LoggerMessage(EventId = 8516, Level = LogLevel.Warning,
        Message = "{Suppressed} more SIP '{Kind}' lines from {Peer} suppressed in the last {WindowSeconds} s")]
    public static partial void Suppressed(ILogger logger, long suppressed, string kind, string peer, int windowSeconds);
}
