using System.Collections.Concurrent;
using System.Net;

namespace SbdServer.Tftp.Sessions;

/// <summary>
/// Per-client-IP admission: at most N transfers in progress and a token bucket of new requests per second
/// (burst = two seconds' worth). Entries of idle clients are swept so the table stays bounded.
/// </summary>
internal sealed class TftpClientLimiter(TimeProvider time, int maxSessionsPerClient, int requestsPerSecond)
{
    /// <summary>Tracked client addresses; beyond this, unknown clients are refused until the next sweep.</summary>
    public const int MaxTrackedClients = 100_000;

    private readonly ConcurrentDictionary<IPAddress, ClientState> _clients = new();

    public int TrackedClients => _clients.Count;

    public TftpAdmission TryAdmit(IPAddress client)
    {
        if (maxSessionsPerClient == 0 && requestsPerSecond == 0)
        {
            return TftpAdmission.Admitted;
        }

        while (true)
        {
            if (!_clients.TryGetValue(client, out var state))
            {
                if (_clients.Count >= MaxTrackedClients)
                {
                    return TftpAdmission.RateLimited;
                }

                state = _clients.GetOrAdd(client, _ => new ClientState(requestsPerSecond * 2.0, time.GetTimestamp()));
            }

            var admission = TryAdmit(state);
            if (admission is { } result)
            {
                return result;
            }
        }
    }

    private TftpAdmission? TryAdmit(ClientState state)
    {
        lock (state)
        {
            if (state.Removed)
            {
                return null; // swept between lookup and lock: look up again
            }

            if (requestsPerSecond > 0)
            {
                var now = time.GetTimestamp();
                var elapsed = (now - state.LastRefill) / (double)time.TimestampFrequency;
                state.Tokens = Math.Min(requestsPerSecond * 2.0, state.Tokens + (elapsed * requestsPerSecond));
                state.LastRefill = now;
                if (state.Tokens < 1)
                {
                    return TftpAdmission.RateLimited;
                }
            }

            if (maxSessionsPerClient > 0 && state.Active >= maxSessionsPerClient)
            {
                return TftpAdmission.TooManySessions;
            }

            state.Tokens -= 1;
            state.Active++;
            return TftpAdmission.Admitted;
        }
    }

    public void Release(IPAddress client)
    {
        if (_clients.TryGetValue(client, out var state))
        {
            lock (state)
            {
                state.Active--;
            }
        }
    }

    /// <summary>Forgets clients with nothing in flight and a full bucket (called from the session timer).</summary>
    public void Sweep()
    {
        var now = time.GetTimestamp();
        foreach (var (address, state) in _clients)
        {
            lock (state)
            {
                var idle = (now - state.LastRefill) / (double)time.TimestampFrequency;
                if (state.Active <= 0 && idle > 2)
                {
                    state.Removed = true;
                    _clients.TryRemove(new KeyValuePair<IPAddress, ClientState>(address, state));
                }
            }
        }
    }

    private sealed class ClientState(double tokens, long lastRefill)
    {
        public double Tokens { get; set; } = tokens;

        public long LastRefill { get; set; } = lastRefill;

        public int Active { get; set; }

        public bool Removed { get; set; }
    }
}
