using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace SbdServer.Host.Auth;

/// <summary>
/// Bearer tokens for the admin API, issued by <c>POST /api/auth/token</c> to a Basic-authenticated admin. Kept in
/// memory by SHA-256 (a restart signs everyone out); lifetime <c>Sbd:Admin:TokenLifetimeMinutes</c> (default 480).
/// </summary>
internal sealed class AdminTokenService(TimeProvider time, TimeSpan lifetime)
{
    private readonly ConcurrentDictionary<string, (string User, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);

    public (string Token, DateTimeOffset Expires) Issue(string user)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var expires = time.GetUtcNow() + lifetime;
        _tokens[Hash(token)] = (user, expires);
        return (token, expires);
    }

    /// <summary>The user a token was issued to, or null when it is unknown or expired.</summary>
    public string? Validate(string token)
    {
        if (token.Length is 0 or > 128 || !_tokens.TryGetValue(Hash(token), out var entry))
        {
            return null;
        }

        if (entry.Expires <= time.GetUtcNow())
        {
            _tokens.TryRemove(Hash(token), out _);
            return null;
        }

        return entry.User;
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
