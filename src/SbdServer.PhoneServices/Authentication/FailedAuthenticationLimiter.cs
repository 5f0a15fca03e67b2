using System.Net;

namespace SbdServer.PhoneServices.Authentication;

/// <summary>
/// Fixed-window count of failed <c>authenticate.jsp</c> attempts per client address: after
/// <c>maxFailures</c> failures the address is refused without a check until its window (started by its first
/// failure) ends, so the endpoint cannot serve as a password oracle. The table is bounded; when it is full of live
/// windows a new address is refused (fail closed) rather than tracked nowhere.
/// </summary>
internal sealed class FailedAuthenticationLimiter(TimeProvider time, int maxFailures, TimeSpan window, int maxTrackedAddresses = 100_000)
{
    private readonly Dictionary<IPAddress, Window> _windows = [];
    private readonly Lock _lock = new();

    /// <summary>True when <paramref name="address"/> may not try now; <paramref name="retryAfter"/> says for how long.</summary>
    public bool IsBlocked(IPAddress address, out TimeSpan retryAfter, out int failures)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_windows.TryGetValue(address, out var current) && now - current.Start < window)
            {
                failures = current.Failures;
                retryAfter = current.Start + window - now;
                return current.Failures >= maxFailures;
            }

            failures = 0;
            retryAfter = TimeSpan.Zero;
            if (_windows.Count >= maxTrackedAddresses && !_windows.ContainsKey(address))
            {
                Prune(now);
                if (_windows.Count >= maxTrackedAddresses)
                {
                    retryAfter = window;
                    return true;
                }
            }

            return false;
        }
    }

    public void RecordFailure(IPAddress address)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_windows.TryGetValue(address, out var current) && now - current.Start < window)
            {
                _windows[address] = current with { Failures = current.Failures + 1 };
                return;
            }

            if (_windows.Count >= maxTrackedAddresses)
            {
                Prune(now);
            }

            _windows[address] = new Window(now, 1);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (address, entry) in _windows)
        {
            if (now - entry.Start >= window)
            {
                _windows.Remove(address);
            }
        }
    }

    private readonly record struct Window(DateTimeOffset Start, int Failures);
}
