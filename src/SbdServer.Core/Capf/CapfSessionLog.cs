namespace SbdServer.Core.Capf;

/// <summary>
/// The last <c>capacity</c> CAPF sessions of this node, newest first on read (<c>GET /api/capf/sessions</c>).
/// Bounded so a flood of sessions costs a fixed amount of memory.
/// </summary>
public sealed class CapfSessionLog
{
    private readonly Lock _lock = new();
    private readonly CapfSessionRecord?[] _ring;
    private int _next;

    public CapfSessionLog(int capacity = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new CapfSessionRecord?[capacity];
    }

    public void Add(CapfSessionRecord record)
    {
        lock (_lock)
        {
            _ring[_next] = record;
            _next = (_next + 1) % _ring.Length;
        }
    }

    /// <summary>Newest first, optionally only one device (case-insensitive), at most <paramref name="max"/>.</summary>
    public IReadOnlyList<CapfSessionRecord> Recent(string? deviceName = null, int max = 100)
    {
        var result = new List<CapfSessionRecord>();
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
