using System.Net;
using Microsoft.Extensions.Logging;

namespace SbdServer.Tftp.Diagnostics;

/// <summary>Event ids 1000-1099 belong to TFTP. Never renumber or reuse an id.</summary>
internal static partial class TftpLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information,
        Message = "TFTP listening on UDP {EndPoint} ({Mode}); static root {Root}; {Sources}")]
    public static partial void Listening(ILogger logger, EndPoint endPoint, string mode, string root, string sources);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "TFTP transfer {Outcome}: peer {Peer} file {File} served {ServedName} from {Source} mode {Mode} " +
            "asked [{OptionsAsked}] granted [{OptionsGranted}] bytes {Bytes} blocks {Blocks} retransmits {Retransmits} " +
            "duplicate-acks {DuplicateAcks} duration {DurationMs} ms")]
    public static partial void Transfer(
        ILogger logger, string outcome, EndPoint peer, string file, string servedName, string source, string mode,
        string optionsAsked, string optionsGranted, long bytes, long blocks, int retransmits, int duplicateAcks,
        long durationMs);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information,
        Message = "TFTP {Count} transfer log line(s) suppressed in the last interval (limit {Limit}/s; see /metrics)")]
    public static partial void TransferLinesSuppressed(ILogger logger, long count, int limit);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "TFTP request from {Peer} refused: {Reason}")]
    public static partial void RequestRefused(ILogger logger, EndPoint peer, string reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "TFTP malformed packet from {Peer}: {Reason}")]
    public static partial void MalformedPacket(ILogger logger, EndPoint peer, string reason);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "TFTP datagram from {Peer} failed")]
    public static partial void DatagramFailed(ILogger logger, Exception exception, EndPoint? peer);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "TFTP file lookup for {File} failed")]
    public static partial void LookupFailed(ILogger logger, Exception exception, string file);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning,
        Message = "TFTP alternate location {Location} failed for {File}: {Reason}")]
    public static partial void AlternateFailed(ILogger logger, string location, string file, string reason);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "TFTP HTTP endpoint listening on {Url}")]
    public static partial void HttpListening(ILogger logger, string url);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Error, Message = "TFTP served-file observer {Observer} threw")]
    public static partial void ObserverFailed(ILogger logger, Exception exception, string observer);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information,
        Message = "TFTP HTTP {Status}: peer {Peer} file {File} served {ServedName} from {Source} bytes {Bytes}")]
    public static partial void HttpTransfer(
        ILogger logger, int status, string peer, string file, string servedName, string source, long bytes);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning,
        Message = "TFTP suppressed {Count} similar {Kind} warning(s) from {Peer} in the last {Seconds} s (counted in /metrics)")]
    public static partial void WarningsSuppressed(ILogger logger, long count, string kind, string peer, int seconds);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information,
        Message = "TFTP suppressed {Count} {Kind} transfer line(s) from {Peer} in the last {Seconds} s (counted in /metrics)")]
    public static partial void RefusalLinesSuppressed(ILogger logger, long count, string kind, string peer, int seconds);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Error, Message = "TFTP retransmission check for {Peer} failed")]
    public static partial void TickFailed(ILogger logger, Exception exception, EndPoint peer);
}
