using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using SbdServer.Core.Certificates;
using SbdServer.Core.Errors;

namespace SbdServer.Crypto.Keys;

/// <summary>
/// Private keys at rest: AES-256-GCM under a key derived from the cluster security password.
/// <para>
/// Blob, version 1 (all of it before the ciphertext is authenticated as associated data):
/// <code>
/// offset size
///   0     4  magic "SBDK" (key) or "SBDV" (password verifier)
///   4     1  version = 1
///   5     1  KDF = 1 (PBKDF2-HMAC-SHA256)
///   6     4  PBKDF2 iterations, big-endian
///  10    16  PBKDF2 salt
///  26    16  password check = HKDF(master, PBKDF2 salt, "check:keys")
///  42    16  per-blob salt (HKDF salt of this blob's AES key)
///  58    12  GCM nonce
///  70     n  ciphertext
///  70+n  16  GCM tag
/// </code>
/// The PBKDF2 master key is cached per (salt, iterations): blobs written by one protector share its PBKDF2 salt (the
/// verifier's, once <see cref="VerifyPassword"/> succeeded), so opening every key at start costs one derivation, and
/// each blob still has its own AES key and nonce. The password check separates "wrong password" from "damaged".
/// </para>
/// </summary>
public sealed class KeyProtector : IKeyProtector
{
    internal const int HeaderBytes = 70;
    internal const int TagBytes = 16;
    internal const int NonceBytes = 12;
    private const byte Version = 1;

    private static readonly byte[] KeyMagic = "SBDK"u8.ToArray();
    private static readonly byte[] VerifierMagic = "SBDV"u8.ToArray();
    private static readonly byte[] VerifierPlaintext = "SbdServer cluster security password verifier v1"u8.ToArray();
    private static readonly byte[] CheckPurpose = "keys"u8.ToArray();
    private static readonly byte[] KeyPurpose = "key-v1"u8.ToArray();

    private readonly string _password;
    private readonly int _iterations;
    private readonly ConcurrentDictionary<string, (byte[] Master, byte[] Check)> _masters = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private byte[]? _currentSalt;
    private int _currentIterations;
    private bool _disposed;

    public KeyProtector(string password, KeyProtectionOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _password = password;
        _iterations = options.Pbkdf2Iterations;
    }

    public byte[] Protect(ReadOnlySpan<byte> secret) => Seal(KeyMagic, secret);

    public byte[] Unprotect(ReadOnlySpan<byte> blob) => Open(KeyMagic, blob, "protected key", out _, out _);

    public byte[] CreatePasswordVerifier() => Seal(VerifierMagic, VerifierPlaintext);

    public void VerifyPassword(ReadOnlySpan<byte> verifier)
    {
        var plaintext = Open(VerifierMagic, verifier, "password verifier", out var salt, out var iterations);
        if (!CryptographicOperations.FixedTimeEquals(plaintext, VerifierPlaintext))
        {
            throw new ProtectedDataException("The password verifier holds unexpected contents; it is not ours.");
        }

        // Later blobs share the verifier's derivation, so the next start derives once for everything.
        lock (_lock)
        {
            _currentSalt = salt;
            _currentIterations = iterations;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var (master, _) in _masters.Values)
            {
                CryptographicOperations.ZeroMemory(master);
            }

            _masters.Clear();
        }
    }

    private byte[] Seal(byte[] magic, ReadOnlySpan<byte> secret)
    {
        var (salt, iterations) = CurrentDerivation();
        var (master, check) = Master(salt, iterations);
        var blob = new byte[HeaderBytes + secret.Length + TagBytes];
        magic.CopyTo(blob, 0);
        blob[4] = Version;
        blob[5] = PasswordKeyDerivation.Pbkdf2Sha256;
        BinaryPrimitives.WriteInt32BigEndian(blob.AsSpan(6, 4), iterations);
        salt.CopyTo(blob, 10);
        check.CopyTo(blob, 26);
        RandomNumberGenerator.Fill(blob.AsSpan(42, PasswordKeyDerivation.SaltBytes));
        RandomNumberGenerator.Fill(blob.AsSpan(58, NonceBytes));

        var key = PasswordKeyDerivation.EncryptionKey(master, blob.AsSpan(42, PasswordKeyDerivation.SaltBytes), KeyPurpose);
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Encrypt(
                blob.AsSpan(58, NonceBytes),
                secret,
                blob.AsSpan(HeaderBytes, secret.Length),
                blob.AsSpan(HeaderBytes + secret.Length, TagBytes),
                blob.AsSpan(0, HeaderBytes));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        return blob;
    }

    private byte[] Open(byte[] magic, ReadOnlySpan<byte> blob, string what, out byte[] salt, out int iterations)
    {
        if (blob.Length < HeaderBytes + TagBytes)
        {
            throw new ProtectedDataException(
                $"The {what} is truncated: {blob.Length} bytes, at least {HeaderBytes + TagBytes} needed.");
        }

        if (!blob[..4].SequenceEqual(magic))
        {
            throw new ProtectedDataException($"The data is not a {what} (wrong magic).");
        }

        if (blob[4] != Version)
        {
            throw new ProtectedDataException($"The {what} has version {blob[4]}; this build reads version {Version}.");
        }

        if (blob[5] != PasswordKeyDerivation.Pbkdf2Sha256)
        {
            throw new ProtectedDataException($"The {what} names key derivation {blob[5]}, which is unknown.");
        }

        iterations = BinaryPrimitives.ReadInt32BigEndian(blob.Slice(6, 4));
        if (iterations is < 1 or > KeyProtectionOptions.MaxIterations)
        {
            throw new ProtectedDataException(
                $"The {what} declares {iterations} PBKDF2 iterations; 1 to {KeyProtectionOptions.MaxIterations} are allowed.");
        }

        salt = blob.Slice(10, PasswordKeyDerivation.SaltBytes).ToArray();
        var (master, check) = Master(salt, iterations);
        if (!CryptographicOperations.FixedTimeEquals(check, blob.Slice(26, PasswordKeyDerivation.CheckBytes)))
        {
            throw new WrongPasswordException(
                $"The cluster security password is wrong: the {what} was protected under a different password.");
        }

        var ciphertextLength = blob.Length - HeaderBytes - TagBytes;
        var plaintext = new byte[ciphertextLength];
        var key = PasswordKeyDerivation.EncryptionKey(master, blob.Slice(42, PasswordKeyDerivation.SaltBytes), KeyPurpose);
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(
                blob.Slice(58, NonceBytes),
                blob.Slice(HeaderBytes, ciphertextLength),
                blob.Slice(HeaderBytes + ciphertextLength, TagBytes),
                plaintext,
                blob[..HeaderBytes]);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException ex)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new ProtectedDataException($"The {what} failed authentication: it is damaged or was tampered with.", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private (byte[] Salt, int Iterations) CurrentDerivation()
    {
        lock (_lock)
        {
            if (_currentSalt is null)
            {
                _currentSalt = RandomNumberGenerator.GetBytes(PasswordKeyDerivation.SaltBytes);
                _currentIterations = _iterations;
            }

            return (_currentSalt, _currentIterations);
        }
    }

    private (byte[] Master, byte[] Check) Master(byte[] salt, int iterations)
    {
        var cacheKey = $"{Convert.ToHexString(salt)}:{iterations}";
        if (_masters.TryGetValue(cacheKey, out var cached))
        {
            return cached;
        }

        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_masters.TryGetValue(cacheKey, out cached))
            {
                return cached;
            }

            var master = PasswordKeyDerivation.DeriveMaster(_password, salt, iterations);
            var entry = (master, PasswordKeyDerivation.PasswordCheck(master, salt, CheckPurpose));
            _masters[cacheKey] = entry;
            return entry;
        }
    }
}
