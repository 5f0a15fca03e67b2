using System.Diagnostics.Metrics;

namespace SbdServer.Core.Capf;

/// <summary>
/// Monotonic CAPF counters for <c>/metrics</c> (prefix <c>sbd_capf_</c>); lock-free increments, published by the
/// meter <see cref="MeterName"/> as observable instruments read at scrape time.
/// </summary>
public sealed class CapfCounters : IDisposable
{
    /// <summary>The meter's name (what the exporter is told to listen to).</summary>
    public const string MeterName = "SbdServer.Capf";

    private static readonly CapfSessionOutcome[] Outcomes = Enum.GetValues<CapfSessionOutcome>();

    private readonly long[] _sessions = new long[Outcomes.Length];
    private long _connectionsOpen;
    private long _rejectedMaxConnections;
    private long _rejectedPerIp;
    private long _handshakeFailures;
    private long _wrongAuthStrings;
    private long _idleTimeouts;
    private readonly Meter _meter;

    public CapfCounters(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        Publish();
    }

    /// <summary>The meter the counters are published on.</summary>
    public Meter Meter => _meter;

    public long ConnectionsOpen => Interlocked.Read(ref _connectionsOpen);
    public long RejectedMaxConnections => Interlocked.Read(ref _rejectedMaxConnections);
    public long RejectedPerIp => Interlocked.Read(ref _rejectedPerIp);
    public long HandshakeFailures => Interlocked.Read(ref _handshakeFailures);

    /// <summary>Sessions refused because the authentication string was wrong.</summary>
    public long WrongAuthStrings => Interlocked.Read(ref _wrongAuthStrings);

    public long IdleTimeouts => Interlocked.Read(ref _idleTimeouts);

    public long Sessions(CapfSessionOutcome outcome) => Interlocked.Read(ref _sessions[(int)outcome]);

    public void ConnectionOpened() => Interlocked.Increment(ref _connectionsOpen);

    public void ConnectionClosed() => Interlocked.Decrement(ref _connectionsOpen);

    public void RejectedForMaxConnections() => Interlocked.Increment(ref _rejectedMaxConnections);

    public void RejectedForPerIpLimit() => Interlocked.Increment(ref _rejectedPerIp);

    public void HandshakeFailed() => Interlocked.Increment(ref _handshakeFailures);

    public void WrongAuthString() => Interlocked.Increment(ref _wrongAuthStrings);

    public void IdleTimedOut() => Interlocked.Increment(ref _idleTimeouts);

    public void Ended(CapfSessionOutcome outcome) => Interlocked.Increment(ref _sessions[(int)outcome]);

    public void Dispose() => _meter.Dispose();

    private void Publish()
    {
        _meter.CreateObservableCounter("sbd_capf_sessions", SessionSamples, description: "CAPF sessions, by outcome.");
        _meter.CreateObservableGauge("sbd_capf_connections_open", () => ConnectionsOpen, description: "CAPF connections currently open.");
        _meter.CreateObservableCounter("sbd_capf_connections_rejected", () => new[]
        {
            new Measurement<long>(RejectedMaxConnections, new KeyValuePair<string, object?>("reason", "max_connections")),
            new Measurement<long>(RejectedPerIp, new KeyValuePair<string, object?>("reason", "per_ip")),
        }, description: "Connections refused by a limit.");
        _meter.CreateObservableCounter("sbd_capf_handshake_failures", () => HandshakeFailures, description: "TLS handshakes that failed.");
        _meter.CreateObservableCounter(
            "sbd_capf_wrong_auth_strings", () => WrongAuthStrings, description: "Sessions refused for a wrong authentication string.");
        _meter.CreateObservableCounter(
            "sbd_capf_idle_timeouts", () => IdleTimeouts, description: "Connections the listener closed after Capf:IdleTimeout without traffic.");
    }

    private IEnumerable<Measurement<long>> SessionSamples() => Outcomes.Select(outcome =>
        new Measurement<long>(Sessions(outcome), new KeyValuePair<string, object?>("outcome", outcome.ToString())));
}
