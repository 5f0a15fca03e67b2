using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SbdServer.Core.Admins;

/// <summary>
/// Admin password hashes: PBKDF2-HMAC-SHA256 with a random 16-byte salt, stored as
/// <c>pbkdf2-sha256$iterations$salt$hash</c> (base64) so a later change of the count still verifies old hashes.
/// </summary>
public sealed class AdminPasswordHasher(int iterations)
{
    /// <summary>
    /// Lower than the key-sealing default (600 000): every API request with HTTP Basic and every wrong password
    /// pays it, and sign-in guessing is bounded by the lockout and the per-address limit instead.
    /// </summary>
    public const int DefaultIterations = 100_000;

    private const string Prefix = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private const int MaxIterations = 10_000_000;

    private readonly int _iterations = iterations is >= 1 and <= MaxIterations
        ? iterations
        : throw new ArgumentOutOfRangeException(nameof(iterations), iterations, $"PBKDF2 iterations must be 1 to {MaxIterations}.");

    public string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, _iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Prefix}${_iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Whether <paramref name="password"/> matches <paramref name="stored"/> (constant time); false for a malformed hash.</summary>
    public static bool Verify(string stored, string password)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(password);
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Prefix
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > MaxIterations)
        {
            return false;
        }

        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        if (expected.Length != HashBytes)
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, count, HashAlgorithmName.SHA256, HashBytes);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
