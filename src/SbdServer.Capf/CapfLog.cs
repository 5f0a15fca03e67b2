using Microsoft.Extensions.Logging;

namespace SbdServer.Capf;

/// <summary>CAPF listener log lines, event ids 8000-8099 (docs/runbook.md). Peer text arrives escaped.</summary>
internal static partial class CapfLog
{
    [LoggerMessage(EventId = 8000, Level = LogLevel.Information,
        Message = "CAPF listening on {EndPoint} (TLS 1.0 {Tls10}), certificate SHA-256 {Sha256}")]
    public static partial void Listening(ILogger logger, string endPoint, string tls10, string sha256);

    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "CAPF certificate loaded: SHA-256 {Sha256} {Subject}")]
    public static partial void CertificateReloaded(ILogger logger, string sha256, string subject);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Error,
        Message = "CAPF certificate reload failed; new connections keep SHA-256 {Sha256}")]
    public static partial void CertificateReloadFailed(ILogger logger, Exception exception, string sha256);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Warning,
        Message = "CAPF has no certificate source; the listener stays off")]
    public static partial void NoCertificateSource(ILogger logger);

    [LoggerMessage(EventId = 8010, Level = LogLevel.Information,
        Message = "CAPF session {SessionId} from {Remote}: device {Device}, operation {Operation}, auth {AuthMode}: {Outcome} {Detail}")]
    public static partial void SessionEnded(
        ILogger logger, uint sessionId, string remote, string device, string operation, string authMode, string outcome, string detail);

    [LoggerMessage(EventId = 8011, Level = LogLevel.Warning,
        Message = "CAPF connection {Remote} closed without an answer: {Reason}")]
    public static partial void ProtocolViolation(ILogger logger, string remote, string reason);

    [LoggerMessage(EventId = 8012, Level = LogLevel.Warning, Message = "CAPF TLS handshake with {Remote} failed: {Reason}")]
    public static partial void HandshakeFailed(ILogger logger, string remote, string reason);

    [LoggerMessage(EventId = 8013, Level = LogLevel.Information, Message = "CAPF connection {Remote} timed out after {Milliseconds} ms ({Phase})")]
    public static partial void TimedOut(ILogger logger, string remote, double milliseconds, string phase);

    [LoggerMessage(EventId = 8014, Level = LogLevel.Warning,
        Message = "CAPF refused a connection from {Remote}: {Limit} limit of {Max} reached")]
    public static partial void LimitReached(ILogger logger, string remote, string limit, int max);

    [LoggerMessage(EventId = 8015, Level = LogLevel.Error, Message = "CAPF session {SessionId} from {Remote} failed inside the server")]
    public static partial void InternalError(ILogger logger, Exception exception, uint sessionId, string remote);

    [LoggerMessage(EventId = 8016, Level = LogLevel.Error, Message = "CAPF accept failed; retrying")]
    public static partial void AcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 8017, Level = LogLevel.Warning,
        Message = "CAPF suppressed {Suppressed} '{Kind}' warnings from {Peer} in the last {WindowSeconds} s")]
    public static partial void Suppressed(ILogger logger, long suppressed, string kind, string peer, int windowSeconds);

    [LoggerMessage(EventId = 8020, Level = LogLevel.Information, Message = "CAPF listener stopped")]
    public static partial void Stopped(ILogger logger);
}
