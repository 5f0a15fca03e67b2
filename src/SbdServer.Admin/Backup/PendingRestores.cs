using System.Collections.Concurrent;

namespace SbdServer.Admin.Backup;

/// <summary>
/// Archives uploaded for a restore, held between the page that shows their content and the click that applies them.
/// One per admin, for a few minutes: a second upload replaces the first, and an unused one expires.
/// </summary>
/// <remarks>In this process only: behind a load balancer the confirming click must reach the node that got the upload
/// (it otherwise says the upload expired and nothing changes).</remarks>
public sealed class PendingRestores(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, Pending> _byUser = new(StringComparer.Ordinal);

    private sealed record Pending(string Id, byte[] Archive, DateTimeOffset Expires);

    /// <summary>Holds <paramref name="archive"/> for <paramref name="user"/>; returns the id the confirmation carries.</summary>
    public string Hold(string user, byte[] archive)
    {
        Sweep();
        var id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        _byUser[user] = new Pending(id, archive, time.GetUtcNow() + Lifetime);
        return id;
    }

    /// <summary>The archive <paramref name="user"/> uploaded as <paramref name="id"/>, removed; null when gone or not his.</summary>
    public byte[]? Take(string user, string? id)
    {
        if (id is null || !_byUser.TryGetValue(user, out var pending) || pending.Id != id || pending.Expires < time.GetUtcNow())
        {
            return null;
        }

        return _byUser.TryRemove(new KeyValuePair<string, Pending>(user, pending)) ? pending.Archive : null;
    }

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (user, pending) in _byUser)
        {
            if (pending.Expires < now)
            {
                _byUser.TryRemove(new KeyValuePair<string, Pending>(user, pending));
            }
        }
    }
}
