namespace SbdServer.Core.Diagnostics;

/// <summary>
/// The last <see cref="Capacity"/> records of a listener (TVS answers, CAPF sessions), newest first on read, for the
/// API and the admin UI. Bounded so a flood of connections costs a fixed amount of memory: older records fall off.
/// The one ring behind every listener's connection log; each protocol only names its record type.
/// </summary>
public class RecentLog<TRecord>
    where TRecord : class
{
    private readonly Lock _lock = new();
    private readonly TRecord?[] _ring;
    private readonly Func<TRecord, string?> _deviceName;
    private int _next;
    private long _total;

    /// <param name="capacity">Records kept.</param>
    /// <param name="deviceName">The device a record is about, for <see cref="Recent"/>'s filter (null: none).</param>
    public RecentLog(int capacity, Func<TRecord, string?> deviceName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentNullException.ThrowIfNull(deviceName);
        _ring = new TRecord?[capacity];
        _deviceName = deviceName;
    }

    public int Capacity => _ring.Length;

    /// <summary>Records ever added, including those that fell off.</summary>
    public long Total => Interlocked.Read(ref _total);

    public void Add(TRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_lock)
        {
            _ring[_next] = record;
            _next = (_next + 1) % _ring.Length;
            _total++;
        }
    }

    /// <summary>Newest first, optionally only one device (case-insensitive), at most <paramref name="max"/>.</summary>
    public IReadOnlyList<TRecord> Recent(string? deviceName = null, int max = 100)
    {
        var result = new List<TRecord>();
        lock (_lock)
        {
            for (var i = 1; i <= _ring.Length && result.Count < max; i++)
            {
                var record = _ring[(_next - i + _ring.Length) % _ring.Length];
                if (record is null)
                {
                    break;
                }

                if (deviceName is null || string.Equals(_deviceName(record), deviceName, StringComparison.OrdinalIgnoreCase))
                {
                    result.Add(record);
                }
            }
        }

        return result;
    }
}
