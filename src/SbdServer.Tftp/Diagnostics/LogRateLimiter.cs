namespace SbdServer.Tftp.Diagnostics;

/// <summary>
/// Token bucket for log lines, so hostile traffic (10 000 bad packets a second) cannot fill a disk: at most
/// <c>perInterval</c> lines per interval pass; the rest are counted and reported by the next line or a summary.
/// </summary>
internal sealed class LogRateLimiter(TimeProvider time, int perInterval, TimeSpan interval)
{
    private readonly Lock _lock = new();
    private long _windowStart = time.GetTimestamp();
    private int _used;
    private long _suppressed;

    public int Limit => perInterval;

    /// <summary>True when a line may be written; <paramref name="suppressedBefore"/> is how many were dropped since.</summary>
    public bool TryAcquire(out long suppressedBefore)
    {
        lock (_lock)
        {
            Roll();
            if (_used < perInterval)
            {
                _used++;
                suppressedBefore = _suppressed;
                _suppressed = 0;
                return true;
            }

            _suppressed++;
            suppressedBefore = 0;
            return false;
        }
    }

    /// <summary>Lines dropped and not yet reported; resets the count (for a periodic summary line).</summary>
    public long TakeSuppressed()
    {
        lock (_lock)
        {
            Roll();
            var n = _suppressed;
            _suppressed = 0;
            return n;
        }
    }

    private void Roll()
    {
        if (time.GetElapsedTime(_windowStart) >= interval)
        {
            _windowStart = time.GetTimestamp();
            _used = 0;
        }
    }
}
