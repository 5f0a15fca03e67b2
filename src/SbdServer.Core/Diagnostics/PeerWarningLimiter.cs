using System.Net;

namespace SbdServer.Core.Diagnostics;

/// <summary>
/// Rate limit for warnings about one peer's bad input (a malformed request, a failed TLS handshake, a silent
/// client), so a trickle of garbage cannot fill the log: per kind and per peer address at most
/// <see cref="PeerWarningOptions.PerPeer"/> lines per window, per kind at most
/// <see cref="PeerWarningOptions.PerKind"/> over all peers, the rest counted and reported once per window by the
/// summary callback ("suppressed 4 812 similar ... from 127.0.0.1 in the last 60 s"). Every event is counted for
/// <c>/metrics</c> whether its line was written or not.
/// </summary>
/// <remarks>
/// One instance per listener (its name is the <c>listener</c> label); kinds are short constants chosen by the
/// listener (<c>protocol</c>, <c>handshake_failed</c>, ...). Thread-safe. Peers beyond
/// <see cref="PeerWarningOptions.MaxTrackedPeers"/> in one window share one bucket, so many addresses cannot grow
/// memory either.
/// </remarks>
public sealed class PeerWarningLimiter : IDisposable
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly PeerWarningOptions _options;
    private readonly Action<PeerWarningSummary>? _onSummary;
    private readonly Dictionary<(string Kind, IPAddress? Peer), Bucket> _buckets = [];
    private readonly Dictionary<string, KindTotals> _totals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _kindWritten = new(StringComparer.Ordinal);
    private readonly ITimer? _timer;
    private long _windowStart;

    /// <param name="listener">Prometheus label value: lower-case letters, digits and <c>_</c>.</param>
    /// <param name="onSummary">Called once per window and kind-and-peer with suppressed lines (outside the lock).</param>
    /// <param name="startTimer">False in tests that call <see cref="Flush"/> themselves.</param>
    public PeerWarningLimiter(
        string listener,
        TimeProvider time,
        PeerWarningOptions? options = null,
        Action<PeerWarningSummary>? onSummary = null,
        bool startTimer = true)
    {
        CheckLabel(listener, nameof(listener));
        Listener = listener;
        _time = time;
        _options = options ?? new PeerWarningOptions();
        _options.Validate();
        _onSummary = onSummary;
        _windowStart = time.GetTimestamp();
        if (startTimer)
        {
            _timer = time.CreateTimer(static state => ((PeerWarningLimiter)state!).Flush(), this, _options.Window, _options.Window);
        }
    }

    /// <summary>The <c>listener</c> label of this limiter's counters.</summary>
    public string Listener { get; }

    /// <summary>The limits in force.</summary>
    public PeerWarningOptions Options => _options;

    /// <summary>
    /// Counts one event of <paramref name="kind"/> from <paramref name="peer"/> and says whether its warning may be
    /// written now.
    /// </summary>
    public bool ShouldLog(string kind, IPAddress? peer)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var key = Normalize(peer);
        PeerWarningSummary[]? due = null;
        bool allowed;
        lock (_lock)
        {
            if (_time.GetElapsedTime(_windowStart) >= _options.Window)
            {
                due = TakeLocked();
            }

            var totals = Totals(kind);
            totals.Events++;
            if (!_buckets.TryGetValue((kind, key), out var bucket))
            {
                if (_buckets.Count >= _options.MaxTrackedPeers)
                {
                    key = null; // the shared overflow bucket
                    if (!_buckets.TryGetValue((kind, null), out bucket))
                    {
                        bucket = new Bucket();
                        _buckets[(kind, null)] = bucket;
                    }
                }
                else
                {
                    bucket = new Bucket();
                    _buckets[(kind, key)] = bucket;
                }
            }

            _kindWritten.TryGetValue(kind, out var kindWritten);
            allowed = bucket.Written < _options.PerPeer && kindWritten < _options.PerKind;
            if (allowed)
            {
                bucket.Written++;
                _kindWritten[kind] = kindWritten + 1;
            }
            else
            {
                bucket.Suppressed++;
                totals.Suppressed++;
            }
        }

        Report(due);
        return allowed;
    }

    /// <summary>Ends the current window: reports what it suppressed and starts a new one (the timer calls this).</summary>
    public void Flush()
    {
        PeerWarningSummary[] due;
        lock (_lock)
        {
            due = TakeLocked();
        }

        Report(due);
    }

    /// <summary>Events of <paramref name="kind"/> seen so far (written and suppressed).</summary>
    public long Events(string kind)
    {
        lock (_lock)
        {
            return _totals.TryGetValue(kind, out var t) ? t.Events : 0;
        }
    }

    /// <summary>Events of <paramref name="kind"/> whose warning was not written.</summary>
    public long Suppressed(string kind)
    {
        lock (_lock)
        {
            return _totals.TryGetValue(kind, out var t) ? t.Suppressed : 0;
        }
    }

    /// <summary>Every kind seen so far with its event and suppressed counts, ordered by kind.</summary>
    public IReadOnlyList<(string Kind, long Events, long Suppressed)> Counts()
    {
        lock (_lock)
        {
            return [.. _totals.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (t.Key, t.Value.Events, t.Value.Suppressed))];
        }
    }

    public void Dispose() => _timer?.Dispose();

    private KindTotals Totals(string kind)
    {
        if (!_totals.TryGetValue(kind, out var totals))
        {
            CheckLabel(kind, nameof(kind));
            totals = new KindTotals();
            _totals[kind] = totals;
        }

        return totals;
    }

    private PeerWarningSummary[] TakeLocked()
    {
        var seconds = (int)Math.Round(_time.GetElapsedTime(_windowStart).TotalSeconds);
        _windowStart = _time.GetTimestamp();
        _kindWritten.Clear();
        if (_buckets.Count == 0)
        {
            return [];
        }

        var summaries = new List<PeerWarningSummary>();
        foreach (var group in _buckets.Where(b => b.Value.Suppressed > 0).GroupBy(b => b.Key.Kind, StringComparer.Ordinal))
        {
            // The loudest peers by name, the rest in one line, so the summaries are bounded too.
            var ordered = group.OrderByDescending(b => b.Value.Suppressed).ToList();
            foreach (var (key, bucket) in ordered.Take(_options.MaxSummariesPerKind))
            {
                summaries.Add(new PeerWarningSummary(Listener, key.Kind, key.Peer, bucket.Suppressed, 1, seconds));
            }

            var rest = ordered.Skip(_options.MaxSummariesPerKind).ToList();
            if (rest.Count > 0)
            {
                summaries.Add(new PeerWarningSummary(
                    Listener, group.Key, null, rest.Sum(b => b.Value.Suppressed), rest.Count, seconds));
            }
        }

        _buckets.Clear();
        return [.. summaries];
    }

    private void Report(PeerWarningSummary[]? due)
    {
        if (due is null || _onSummary is null)
        {
            return;
        }

        foreach (var summary in due)
        {
            _onSummary(summary);
        }
    }

    private static IPAddress? Normalize(IPAddress? peer) =>
        peer is { IsIPv4MappedToIPv6: true } ? peer.MapToIPv4() : peer;

    private static void CheckLabel(string value, string name)
    {
        if (value.Length == 0 || value.Length > 64 || !value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
        {
            throw new ArgumentException($"'{value}' must be 1-64 characters of a-z, 0-9 and _.", name);
        }
    }

    private sealed class Bucket
    {
        public int Written;
        public long Suppressed;
    }

    private sealed class KindTotals
    {
        public long Events;
        public long Suppressed;
    }
}
