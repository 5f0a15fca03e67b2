using System.Diagnostics.Metrics;
using SbdServer.Wire.Tvs;

namespace SbdServer.Core.Tvs;

/// <summary>
/// Monotonic TVS counters (plus the open-connection gauge) for the admin UI and <c>/metrics</c>. Lock-free
/// increments; the meter <see cref="MeterName"/> publishes them as observable instruments read at scrape time.
/// </summary>
public sealed class TvsCounters : IDisposable
{
    /// <summary>The meter's name (what the exporter is told to listen to).</summary>
    public const string MeterName = "SbdServer.Tvs";

    private static readonly TvsOutcome[] Outcomes = Enum.GetValues<TvsOutcome>();

    private readonly long[] _verify = new long[Outcomes.Length];
    private readonly long[] _query = new long[Outcomes.Length];
    private long _connectionsAccepted;
    private long _connectionsOpen;
    private long _rejectedMaxConnections;
    private long _rejectedPerIp;
    private long _handshakeFailures;
    private long _handshakeTimeouts;
    private long _readTimeouts;
    private long _idleTimeouts;
    private long _protocolViolations;
    private long _internalErrors;
    private readonly Meter _meter;

    public TvsCounters(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        Publish();
    }

    /// <summary>The meter the counters are published on.</summary>
    public Meter Meter => _meter;

    public long ConnectionsAccepted => Interlocked.Read(ref _connectionsAccepted);
    public long ConnectionsOpen => Interlocked.Read(ref _connectionsOpen);
    public long RejectedMaxConnections => Interlocked.Read(ref _rejectedMaxConnections);
    public long RejectedPerIp => Interlocked.Read(ref _rejectedPerIp);
    public long HandshakeFailures => Interlocked.Read(ref _handshakeFailures);
    public long HandshakeTimeouts => Interlocked.Read(ref _handshakeTimeouts);
    public long ReadTimeouts => Interlocked.Read(ref _readTimeouts);
    public long IdleTimeouts => Interlocked.Read(ref _idleTimeouts);
    public long ProtocolViolations => Interlocked.Read(ref _protocolViolations);
    public long InternalErrors => Interlocked.Read(ref _internalErrors);

    public void ConnectionOpened()
    {
        Interlocked.Increment(ref _connectionsAccepted);
        Interlocked.Increment(ref _connectionsOpen);
    }

    public void ConnectionClosed() => Interlocked.Decrement(ref _connectionsOpen);

    public void RejectedForMaxConnections() => Interlocked.Increment(ref _rejectedMaxConnections);

    public void RejectedForPerIpLimit() => Interlocked.Increment(ref _rejectedPerIp);

    public void HandshakeFailed() => Interlocked.Increment(ref _handshakeFailures);

    public void HandshakeTimedOut() => Interlocked.Increment(ref _handshakeTimeouts);

    public void ReadTimedOut() => Interlocked.Increment(ref _readTimeouts);

    public void IdleTimedOut() => Interlocked.Increment(ref _idleTimeouts);

    public void ProtocolViolation() => Interlocked.Increment(ref _protocolViolations);

    public void InternalError() => Interlocked.Increment(ref _internalErrors);

    public void Answered(TvsCommand command, TvsOutcome outcome)
    {
        var table = command is TvsCommand.QueryRequest or TvsCommand.QueryResponse ? _query : _verify;
        Interlocked.Increment(ref table[(int)outcome]);
    }

    /// <summary>Requests answered for one command (request or response command) and outcome.</summary>
    public long Requests(TvsCommand command, TvsOutcome outcome) =>
        Interlocked.Read(ref (command is TvsCommand.QueryRequest or TvsCommand.QueryResponse ? _query : _verify)[(int)outcome]);

    public void Dispose() => _meter.Dispose();

    private void Publish()
    {
        _meter.CreateObservableCounter("sbd_tvs_requests", RequestSamples, description: "TVS requests answered, by command and outcome.");
        Counter("sbd_tvs_connections", "TLS connections accepted.", () => ConnectionsAccepted);
        _meter.CreateObservableGauge("sbd_tvs_connections_open", () => ConnectionsOpen, description: "TVS connections currently open.");
        _meter.CreateObservableCounter("sbd_tvs_connections_rejected", () => new[]
        {
            new Measurement<long>(RejectedMaxConnections, new KeyValuePair<string, object?>("reason", "max_connections")),
            new Measurement<long>(RejectedPerIp, new KeyValuePair<string, object?>("reason", "per_ip")),
        }, description: "Connections refused by a limit.");
        Counter("sbd_tvs_handshake_failures", "TLS handshakes that failed.", () => HandshakeFailures);
        Counter("sbd_tvs_handshake_timeouts", "TLS handshakes that timed out.", () => HandshakeTimeouts);
        Counter("sbd_tvs_read_timeouts", "Connections closed because the client went silent.", () => ReadTimeouts);
        Counter("sbd_tvs_idle_timeouts", "Connections the listener closed after Tvs:IdleTimeout without traffic.", () => IdleTimeouts);
        Counter("sbd_tvs_protocol_violations", "Connections closed for a protocol violation.", () => ProtocolViolations);
        Counter("sbd_tvs_internal_errors", "Connections closed because answering failed.", () => InternalErrors);
    }

    private IEnumerable<Measurement<long>> RequestSamples()
    {
        foreach (var outcome in Outcomes)
        {
            yield return Sample(_verify, outcome, "verify");
            yield return Sample(_query, outcome, "query");
        }
    }

    private static Measurement<long> Sample(long[] table, TvsOutcome outcome, string command) => new(
        Interlocked.Read(ref table[(int)outcome]),
        new KeyValuePair<string, object?>("command", command),
        new KeyValuePair<string, object?>("outcome", Label(outcome)));

    private void Counter(string name, string description, Func<long> read) =>
        _meter.CreateObservableCounter(name, read, description: description);

    private static string Label(TvsOutcome outcome) => outcome switch
    {
        TvsOutcome.Valid => "valid",
        TvsOutcome.Unknown => "unknown",
        TvsOutcome.Expired => "expired",
        TvsOutcome.NotYetValid => "not_yet_valid",
        TvsOutcome.NoPhoneRoles => "no_phone_roles",
        _ => "other",
    };
}
