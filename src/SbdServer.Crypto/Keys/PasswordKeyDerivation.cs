using System.Security.Cryptography;
using System.Text;

namespace SbdServer.Crypto.Keys;

/// <summary>
/// PBKDF2-HMAC-SHA256 from a password to a 32-byte master key, then HKDF-SHA256 for the working keys, so one slow
/// derivation serves many blobs and each blob still gets its own key.
/// </summary>
internal static class PasswordKeyDerivation
{
    public const int MasterKeyBytes = 32;
    public const int SaltBytes = 16;
    public const int CheckBytes = 16;
    public const byte Pbkdf2Sha256 = 1;

    public static byte[] DeriveMaster(string password, ReadOnlySpan<byte> salt, int iterations)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        var passwordBytes = Encoding.UTF8.GetBytes(password);
        try
        {
            return Rfc2898DeriveBytes.Pbkdf2(passwordBytes, salt, iterations, HashAlgorithmName.SHA256, MasterKeyBytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
    }

    /// <summary>A value stored in clear that tells a wrong password from a damaged blob.</summary>
    public static byte[] PasswordCheck(ReadOnlySpan<byte> master, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> purpose)
    {
        var check = new byte[CheckBytes];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, master, check, salt, [.. "check:"u8, .. purpose]);
        return check;
    }

    /// <summary>The AES-256 key of one blob; the caller wipes it.</summary>
    public static byte[] EncryptionKey(ReadOnlySpan<byte> master, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> purpose)
    {
        var key = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, master, key, salt, [.. "aes256gcm:"u8, .. purpose]);
        return key;
    }
}
