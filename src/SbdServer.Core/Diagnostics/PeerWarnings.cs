using System.Globalization;
using System.Text;

namespace SbdServer.Core.Diagnostics;

/// <summary>
/// The process's peer-warning limiters (one per listener, see <see cref="PeerWarningLimiter"/>) and their
/// counters for <c>/metrics</c>: <c>sbd_peer_warnings_total{listener,kind}</c> counts every bad-input event,
/// <c>sbd_peer_warnings_suppressed_total{listener,kind}</c> those whose log line the limit suppressed.
/// </summary>
public sealed class PeerWarnings(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly List<PeerWarningLimiter> _limiters = [];

    /// <summary>A new limiter for <paramref name="listener"/>; its counts stay in this registry after disposal.</summary>
    public PeerWarningLimiter Create(
        string listener, Action<PeerWarningSummary> onSummary, PeerWarningOptions? options = null)
    {
        var limiter = new PeerWarningLimiter(listener, time, options, onSummary);
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

    /// <summary>Appends both counter families in Prometheus text format.</summary>
    public void WritePrometheus(StringBuilder output)
    {
        ArgumentNullException.ThrowIfNull(output);

        // Several limiters may share a listener name (a listener restarted in one process): one sample per pair.
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

        output.Append("# HELP sbd_peer_warnings_total Bad input from peers worth a warning, by listener and kind.\n");
        output.Append("# TYPE sbd_peer_warnings_total counter\n");
        foreach (var ((listener, kind), (events, _)) in rows)
        {
            Line(output, "sbd_peer_warnings_total", listener, kind, events);
        }

        output.Append("# HELP sbd_peer_warnings_suppressed_total Of those, events whose log line the rate limit suppressed.\n");
        output.Append("# TYPE sbd_peer_warnings_suppressed_total counter\n");
        foreach (var ((listener, kind), (_, suppressed)) in rows)
        {
            Line(output, "sbd_peer_warnings_suppressed_total", listener, kind, suppressed);
        }
    }

    private long Sum(string listener, string kind, bool suppressed)
    {
        lock (_lock)
        {
            return _limiters.Where(l => l.Listener == listener)
                .Sum(l => suppressed ? l.Suppressed(kind) : l.Events(kind));
        }
    }

    // Listener and kind are checked to be [a-z0-9_] by the limiter, so they need no label escaping.
    private static void Line(StringBuilder output, string name, string listener, string kind, long value) =>
        output.Append(name).Append("{listener=\"").Append(listener).Append("\",kind=\"").Append(kind).Append("\"} ")
            .Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
