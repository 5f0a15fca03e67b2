using System.Diagnostics.Metrics;

namespace SbdServer.Tftp.Diagnostics;

/// <summary>
/// Process-wide TFTP counters for the admin UI and <c>/metrics</c>. Plain interlocked longs: the hot path pays one
/// atomic add per event and nothing else; the meter <see cref="MeterName"/> publishes them as observable instruments
/// read at scrape time (docs/adr/0007-metrics-through-opentelemetry.md).
/// </summary>
public sealed class TftpMetrics : IDisposable
{
    /// <summary>The meter's name (what the exporter is told to listen to).</summary>
    public const string MeterName = "SbdServer.Tftp";

    private readonly Meter _meter;
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

    public TftpMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        Publish();
    }

    /// <summary>The meter the counters are published on.</summary>
    public Meter Meter => _meter;

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

    public void Dispose() => _meter.Dispose();

    private void Publish()
    {
        Counter("sbd_tftp_requests", "RRQ/WRQ packets received (including duplicates).", () => Interlocked.Read(ref _requests));
        Counter("sbd_tftp_transfers_started", "Transfers that sent a first packet.", () => Interlocked.Read(ref _transfersStarted));
        Counter("sbd_tftp_transfers_completed", "Transfers whose last block was acknowledged.", () => Interlocked.Read(ref _transfersCompleted));
        Counter("sbd_tftp_file_not_found", "Requests answered ERROR 1.", () => Interlocked.Read(ref _notFound));
        Counter("sbd_tftp_access_violations", "Requests for refused names (ERROR 2).", () => Interlocked.Read(ref _accessViolations));
        Counter("sbd_tftp_illegal_requests", "WRQ, bad mode or malformed RRQ (ERROR 2/4).", () => Interlocked.Read(ref _illegalRequests));
        Counter("sbd_tftp_timeouts", "Transfers abandoned after the last retransmission.", () => Interlocked.Read(ref _timeouts));
        Counter("sbd_tftp_client_errors", "Transfers ended by an ERROR from the client.", () => Interlocked.Read(ref _clientErrors));
        Counter("sbd_tftp_retransmits", "Packets re-sent after a timeout.", () => Interlocked.Read(ref _retransmits));
        Counter("sbd_tftp_duplicate_acks_ignored", "Duplicate ACKs ignored (Sorcerer's Apprentice).", () => Interlocked.Read(ref _duplicateAcksIgnored));
        Counter("sbd_tftp_duplicate_requests", "Retransmitted RRQs folded into a running transfer.", () => Interlocked.Read(ref _duplicateRequests));
        _meter.CreateObservableCounter("sbd_tftp_rejected", () => new[]
        {
            Measurement(Interlocked.Read(ref _rejectedGlobal), "limit", "global_sessions"),
            Measurement(Interlocked.Read(ref _rejectedPerClient), "limit", "client_sessions"),
            Measurement(Interlocked.Read(ref _rejectedRate), "limit", "client_rate"),
            Measurement(Interlocked.Read(ref _rejectedNoPort), "limit", "data_ports"),
        }, description: "Requests refused by a limit.");
        Counter("sbd_tftp_malformed_packets", "Packets that were not valid TFTP.", () => Interlocked.Read(ref _malformed));
        Counter("sbd_tftp_foreign_tid_packets", "Packets from a wrong TID (answered ERROR 5).", () => Interlocked.Read(ref _foreignTid));
        Counter("sbd_tftp_lookup_failures", "Catalogue lookups that threw.", () => Interlocked.Read(ref _lookupFailures));
        Counter("sbd_tftp_bytes_sent", "Payload bytes of completed transfers.", () => Interlocked.Read(ref _bytesSent));
        _meter.CreateObservableGauge("sbd_tftp_active_sessions", () => ActiveSessions, description: "Transfers in progress.");
        Counter("sbd_tftp_http_requests", "HTTP 6970 requests.", () => Interlocked.Read(ref _httpRequests));
        Counter("sbd_tftp_http_not_found", "HTTP 6970 requests answered 404.", () => Interlocked.Read(ref _httpNotFound));
        Counter("sbd_tftp_http_bytes", "HTTP 6970 body bytes of full (200) responses.", () => Interlocked.Read(ref _httpBytes));
        Counter("sbd_tftp_log_lines_suppressed", "Log lines dropped by the log rate limit.", () => Interlocked.Read(ref _logLinesSuppressed));
    }

    private void Counter(string name, string description, Func<long> read) =>
        _meter.CreateObservableCounter(name, read, description: description);

    private static Measurement<long> Measurement(long value, string key, string label) =>
        new(value, new KeyValuePair<string, object?>(key, label));
}
