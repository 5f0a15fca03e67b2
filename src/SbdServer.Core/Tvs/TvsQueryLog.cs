namespace SbdServer.Core.Tvs;

/// <summary>
/// The last <c>capacity</c> TVS answers, newest first on read. Bounded so a flood of requests costs a fixed amount
/// of memory; older records fall off.
/// </summary>
public sealed class TvsQueryLog
{
    private readonly Lock _lock = new();
    private readonly TvsQueryRecord?[] _ring;
    private int _next;
    private long _total;

    public TvsQueryLog(int capacity = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new TvsQueryRecord?[capacity];
    }

    public int Capacity => _ring.Length;

    /// <summary>Records ever added, including those that fell off.</summary>
    public long Total => Interlocked.Read(ref _total);

    public void Add(TvsQueryRecord record)
    {
        lock (_lock)
        {
            _ring[_next] = record;
            _next = (_next + 1) % _ring.Length;
            _total++;
        }
    }

    /// <summary>Newest first, optionally only one device (case-insensitive), at most <paramref name="max"/>.</summary>
    public IReadOnlyList<TvsQueryRecord> Recent(string? deviceName = null, int max = 100)
    {
        var result = new List<TvsQueryRecord>();
        lock (_lock)
        {
            for (var i = 1; i <= _ring.Length && result.Count < max; i++)
            {
                var record = _ring[(_next - i + _ring.Length) % _ring.Length];
                if (record is null)
                {
                    break;
                }

                if (deviceName is null || string.Equals(record.DeviceName, deviceName, StringComparison.OrdinalIgnoreCase))
                {
                    result.Add(record);
                }
            }
        }

        return result;
    }
}
