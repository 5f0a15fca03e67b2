using System.Globalization;

namespace SbdServer.Tftp.Diagnostics;

/// <summary>
/// Process-wide TFTP counters for the admin UI and <c>/metrics</c>. Plain interlocked longs: the hot path pays one
/// atomic add per event and nothing else.
/// </summary>
public sealed class TftpMetrics
{
    private long _requests;
    private long _transfersStarted;
    private long _transfersCompleted;
    private long _notFound;
    private long _accessViolations;
    private long _illegalRequests;
    private long _timeouts;
    private long _clientErrors;
    private long _retransmits;
    private long _duplicateAcksIgnored;
    private long _duplicateRequests;
    private long _rejectedGlobal;
    private long _rejectedPerClient;
    private long _rejectedRate;
    private long _rejectedNoPort;
    private long _malformed;
    private long _foreignTid;
    private long _bytesSent;
    private long _activeSessions;
    private long _lookupFailures;
    private long _httpRequests;
    private long _httpNotFound;
    private long _httpBytes;
    private long _logLinesSuppressed;

    public long Requests => Interlocked.Read(ref _requests);

    public long TransfersStarted => Interlocked.Read(ref _transfersStarted);

    public long TransfersCompleted => Interlocked.Read(ref _transfersCompleted);

    public long NotFound => Interlocked.Read(ref _notFound);

    public long Timeouts => Interlocked.Read(ref _timeouts);

    public long Retransmits => Interlocked.Read(ref _retransmits);

    public long DuplicateAcksIgnored => Interlocked.Read(ref _duplicateAcksIgnored);

    public long DuplicateRequests => Interlocked.Read(ref _duplicateRequests);

    public long Rejected => Interlocked.Read(ref _rejectedGlobal) + Interlocked.Read(ref _rejectedPerClient)
        + Interlocked.Read(ref _rejectedRate) + Interlocked.Read(ref _rejectedNoPort);

    public long Malformed => Interlocked.Read(ref _malformed);

    public long ActiveSessions => Interlocked.Read(ref _activeSessions);

    public long HttpRequests => Interlocked.Read(ref _httpRequests);

    internal void Request() => Interlocked.Increment(ref _requests);

    internal void TransferStarted() => Interlocked.Increment(ref _transfersStarted);

    internal void TransferCompleted(long bytes)
    {
        Interlocked.Increment(ref _transfersCompleted);
        Interlocked.Add(ref _bytesSent, bytes);
    }

    internal void FileNotFound() => Interlocked.Increment(ref _notFound);

    internal void AccessViolation() => Interlocked.Increment(ref _accessViolations);

    internal void IllegalRequest() => Interlocked.Increment(ref _illegalRequests);

    internal void Timeout() => Interlocked.Increment(ref _timeouts);

    internal void ClientError() => Interlocked.Increment(ref _clientErrors);

    internal void Retransmit(int count) => Interlocked.Add(ref _retransmits, count);

    internal void DuplicateAckIgnored(int count) => Interlocked.Add(ref _duplicateAcksIgnored, count);

    internal void DuplicateRequest() => Interlocked.Increment(ref _duplicateRequests);

    internal void RejectedGlobal() => Interlocked.Increment(ref _rejectedGlobal);

    internal void RejectedPerClient() => Interlocked.Increment(ref _rejectedPerClient);

    internal void RejectedRate() => Interlocked.Increment(ref _rejectedRate);

    internal void RejectedNoPort() => Interlocked.Increment(ref _rejectedNoPort);

    internal void MalformedPacket() => Interlocked.Increment(ref _malformed);

    internal void ForeignTid() => Interlocked.Increment(ref _foreignTid);

    internal void SessionOpened() => Interlocked.Increment(ref _activeSessions);

    internal void SessionClosed() => Interlocked.Decrement(ref _activeSessions);

    internal void LookupFailure() => Interlocked.Increment(ref _lookupFailures);

    internal void HttpRequest() => Interlocked.Increment(ref _httpRequests);

    internal void HttpNotFound() => Interlocked.Increment(ref _httpNotFound);

    internal void HttpBytes(long bytes) => Interlocked.Add(ref _httpBytes, bytes);

    internal void LogLinesSuppressed(long count) => Interlocked.Add(ref _logLinesSuppressed, count);

    /// <summary>Writes the counters in the Prometheus text exposition format (version 0.0.4).</summary>
    public void WritePrometheus(TextWriter writer)
    {
        Counter(writer, "sbd_tftp_requests_total", "RRQ/WRQ packets received (including duplicates).", _requests);
        Counter(writer, "sbd_tftp_transfers_started_total", "Transfers that sent a first packet.", _transfersStarted);
        Counter(writer, "sbd_tftp_transfers_completed_total", "Transfers whose last block was acknowledged.",
            _transfersCompleted);
        Counter(writer, "sbd_tftp_file_not_found_total", "Requests answered ERROR 1.", _notFound);
        Counter(writer, "sbd_tftp_access_violations_total", "Requests for refused names (ERROR 2).", _accessViolations);
        Counter(writer, "sbd_tftp_illegal_requests_total", "WRQ, bad mode or malformed RRQ (ERROR 2/4).",
            _illegalRequests);
        Counter(writer, "sbd_tftp_timeouts_total", "Transfers abandoned after the last retransmission.", _timeouts);
        Counter(writer, "sbd_tftp_client_errors_total", "Transfers ended by an ERROR from the client.", _clientErrors);
        Counter(writer, "sbd_tftp_retransmits_total", "Packets re-sent after a timeout.", _retransmits);
        Counter(writer, "sbd_tftp_duplicate_acks_ignored_total", "Duplicate ACKs ignored (Sorcerer's Apprentice).",
            _duplicateAcksIgnored);
        Counter(writer, "sbd_tftp_duplicate_requests_total", "Retransmitted RRQs folded into a running transfer.",
            _duplicateRequests);
        writer.Write("# HELP sbd_tftp_rejected_total Requests refused by a limit.\n# TYPE sbd_tftp_rejected_total counter\n");
        Labelled(writer, "sbd_tftp_rejected_total", "limit=\"global_sessions\"", _rejectedGlobal);
        Labelled(writer, "sbd_tftp_rejected_total", "limit=\"client_sessions\"", _rejectedPerClient);
        Labelled(writer, "sbd_tftp_rejected_total", "limit=\"client_rate\"", _rejectedRate);
        Labelled(writer, "sbd_tftp_rejected_total", "limit=\"data_ports\"", _rejectedNoPort);
        Counter(writer, "sbd_tftp_malformed_packets_total", "Packets that were not valid TFTP.", _malformed);
        Counter(writer, "sbd_tftp_foreign_tid_packets_total", "Packets from a wrong TID (answered ERROR 5).",
            _foreignTid);
        Counter(writer, "sbd_tftp_lookup_failures_total", "Catalogue lookups that threw.", _lookupFailures);
        Counter(writer, "sbd_tftp_bytes_sent_total", "Payload bytes of completed transfers.", _bytesSent);
        writer.Write("# HELP sbd_tftp_active_sessions Transfers in progress.\n# TYPE sbd_tftp_active_sessions gauge\n");
        Labelled(writer, "sbd_tftp_active_sessions", null, _activeSessions);
        Counter(writer, "sbd_tftp_http_requests_total", "HTTP 6970 requests.", _httpRequests);
        Counter(writer, "sbd_tftp_http_not_found_total", "HTTP 6970 requests answered 404.", _httpNotFound);
        Counter(writer, "sbd_tftp_http_bytes_total", "HTTP 6970 body bytes of full (200) responses.", _httpBytes);
        Counter(writer, "sbd_tftp_log_lines_suppressed_total", "Log lines dropped by the log rate limit.",
            _logLinesSuppressed);
    }

    private static void Counter(TextWriter writer, string name, string help, long value)
    {
        writer.Write($"# HELP {name} {help}\n# TYPE {name} counter\n");
        Labelled(writer, name, null, value);
    }

    private static void Labelled(TextWriter writer, string name, string? labels, long value) =>
        writer.Write(labels is null
            ? $"{name} {value.ToString(CultureInfo.InvariantCulture)}\n"
            : $"{name}{{{labels}}} {value.ToString(CultureInfo.InvariantCulture)}\n");
}
