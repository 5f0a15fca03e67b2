using System.Diagnostics.Metrics;

namespace SbdServer.Core.Diagnostics;

/// <summary>
/// The process's peer-warning limiters (one per listener, see <see cref="PeerWarningLimiter"/>) and their
/// counters for <c>/metrics</c>: <c>sbd_peer_warnings_total{listener,kind}</c> counts every bad-input event,
/// <c>sbd_peer_warnings_suppressed_total{listener,kind}</c> those whose log line the limit suppressed.
/// </summary>
public sealed class PeerWarnings : IDisposable
{
    /// <summary>The meter's name (what the exporter is told to listen to).</summary>
    public const string MeterName = "SbdServer.PeerWarnings";

    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly List<PeerWarningLimiter> _limiters = [];
    private readonly Meter _meter;

    public PeerWarnings(TimeProvider time, IMeterFactory? meterFactory = null)
    {
        _time = time;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableCounter(
            "sbd_peer_warnings", () => Samples(suppressed: false),
            description: "Bad input from peers worth a warning, by listener and kind.");
        _meter.CreateObservableCounter(
            "sbd_peer_warnings_suppressed", () => Samples(suppressed: true),
            description: "Of those, events whose log line the rate limit suppressed.");
    }

    /// <summary>The meter the counters are published on.</summary>
    public Meter Meter => _meter;

    /// <summary>A new limiter for <paramref name="listener"/>; its counts stay in this registry after disposal.</summary>
    public PeerWarningLimiter Create(
        string listener, Action<PeerWarningSummary> onSummary, PeerWarningOptions? options = null)
    {
        var limiter = new PeerWarningLimiter(listener, _time, options, onSummary);
        lock (_lock)
        {
            _limiters.Add(limiter);
        }

        return limiter;
    }

    /// <summary>Events of <paramref name="kind"/> on <paramref name="listener"/> (written and suppressed).</summary>
    public long Events(string listener, string kind) => Sum(listener, kind, suppressed: false);

    /// <summary>Events of <paramref name="kind"/> on <paramref name="listener"/> whose line was suppressed.</summary>
    public long Suppressed(string listener, string kind) => Sum(listener, kind, suppressed: true);

    public void Dispose() => _meter.Dispose();

    // Several limiters may share a listener name (a listener restarted in one process): one sample per pair.
    private SortedDictionary<(string Listener, string Kind), (long Events, long Suppressed)> Rows()
    {
        var rows = new SortedDictionary<(string Listener, string Kind), (long Events, long Suppressed)>();
        lock (_lock)
        {
            foreach (var limiter in _limiters)
            {
                foreach (var (kind, events, suppressed) in limiter.Counts())
                {
                    rows.TryGetValue((limiter.Listener, kind), out var sum);
                    rows[(limiter.Listener, kind)] = (sum.Events + events, sum.Suppressed + suppressed);
                }
            }
        }

        return rows;
    }

    private IEnumerable<Measurement<long>> Samples(bool suppressed) => Rows().Select(row => new Measurement<long>(
        suppressed ? row.Value.Suppressed : row.Value.Events,
        new KeyValuePair<string, object?>("listener", row.Key.Listener),
        new KeyValuePair<string, object?>("kind", row.Key.Kind)));

    private long Sum(string listener, string kind, bool suppressed)
    {
        lock (_lock)
        {
            return _limiters.Where(l => l.Listener == listener)
                .Sum(l => suppressed ? l.Suppressed(kind) : l.Events(kind));
        }
    }
}
