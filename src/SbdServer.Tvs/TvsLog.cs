using Microsoft.Extensions.Logging;

namespace SbdServer.Tvs;

/// <summary>Event ids 2000-2099 belong to the TVS listener. Never renumber or reuse an id.</summary>
internal static partial class TvsLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information,
        Message = "TVS listening on {EndPoint} (TLS 1.0 {Tls10}), certificate SHA-256 {Sha256}")]
    public static partial void Listening(ILogger logger, string endPoint, string tls10, string sha256);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
        Message = "TVS {Command} from {DeviceName} at {RemoteAddress}: {Status}/{Outcome}, certificate SHA-256 {Sha256}, roles [{Roles}], TTL {Ttl}, {DurationMs} ms")]
    public static partial void Answered(
        ILogger logger, string command, string deviceName, string remoteAddress, string status, string outcome,
        string sha256, string roles, string ttl, double durationMs);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information,
        Message = "TVS certificate reloaded: new connections present SHA-256 {Sha256} (subject {Subject})")]
    public static partial void CertificateReloaded(ILogger logger, string sha256, string subject);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error,
        Message = "TVS certificate reload failed; new connections keep presenting SHA-256 {Sha256}")]
    public static partial void CertificateReloadFailed(ILogger logger, Exception exception, string sha256);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning,
        Message = "Closing TVS connection {ConnectionId} from {RemoteAddress} without an answer: {Reason}")]
    public static partial void ProtocolViolation(ILogger logger, long connectionId, string remoteAddress, string reason);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information,
        Message = "TVS connection {ConnectionId} from {RemoteAddress}: TLS handshake failed: {Reason}")]
    public static partial void HandshakeFailed(ILogger logger, long connectionId, string remoteAddress, string reason);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Information,
        Message = "TVS connection {ConnectionId} from {RemoteAddress}: no TLS handshake within {TimeoutMs} ms, closed")]
    public static partial void HandshakeTimeout(ILogger logger, long connectionId, string remoteAddress, double timeoutMs);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Information,
        Message = "TVS connection {ConnectionId} from {RemoteAddress}: silent for {TimeoutMs} ms mid-request or idle, closed")]
    public static partial void ReadTimeout(ILogger logger, long connectionId, string remoteAddress, double timeoutMs);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Warning,
        Message = "TVS connection limit reached ({MaxConnections} open): refusing connections (first refused: {RemoteAddress})")]
    public static partial void MaxConnectionsReached(ILogger logger, int maxConnections, string remoteAddress);

    [LoggerMessage(EventId = 2015, Level = LogLevel.Warning,
        Message = "TVS per-IP connection limit reached ({MaxPerIp} open from {RemoteAddress}): refusing its new connections")]
    public static partial void PerIpLimitReached(ILogger logger, int maxPerIp, string remoteAddress);

    [LoggerMessage(EventId = 2016, Level = LogLevel.Error,
        Message = "TVS connection {ConnectionId} from {RemoteAddress}: answering failed, closed without an answer")]
    public static partial void InternalError(ILogger logger, Exception exception, long connectionId, string remoteAddress);

    [LoggerMessage(EventId = 2017, Level = LogLevel.Error, Message = "TVS accept failed; retrying")]
    public static partial void AcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2018, Level = LogLevel.Debug,
        Message = "TVS connection {ConnectionId} from {RemoteAddress} closed by the client or the peer reset it")]
    public static partial void ClientClosed(ILogger logger, long connectionId, string remoteAddress);

    [LoggerMessage(EventId = 2019, Level = LogLevel.Warning,
        Message = "TVS is disabled: no TVS certificate source (set Tvs:CertificatePem or enable certificate management)")]
    public static partial void NoCertificateSource(ILogger logger);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Warning,
        Message = "Tvs:AllowTls10 is set but OPENSSL_CONF is not: OpenSSL 3 will refuse TLS 1.0 handshakes (docs/adr/0001-tvs-tls.md)")]
    public static partial void Tls10WithoutOpenSslConf(ILogger logger);

    [LoggerMessage(EventId = 2022, Level = LogLevel.Warning,
        Message = "TVS suppressed {Count} similar {Kind} warning(s) from {Peer} in the last {Seconds} s (counted in /metrics)")]
    public static partial void WarningsSuppressed(ILogger logger, long count, string kind, string peer, int seconds);

    [LoggerMessage(EventId = 2023, Level = LogLevel.Information,
        Message = "TVS suppressed {Count} similar {Kind} line(s) from {Peer} in the last {Seconds} s (counted in /metrics)")]
    public static partial void LinesSuppressed(ILogger logger, long count, string kind, string peer, int seconds);

    [LoggerMessage(EventId = 2024, Level = LogLevel.Information,
        Message = "TVS connection from {RemoteAddress}: nothing sent or received for {TimeoutMs} ms (Tvs:IdleTimeout), closed")]
    public static partial void IdleTimeout(ILogger logger, string remoteAddress, double timeoutMs);

    [LoggerMessage(EventId = 2020, Level = LogLevel.Information, Message = "TVS listener stopped")]
    public static partial void Stopped(ILogger logger);
}
