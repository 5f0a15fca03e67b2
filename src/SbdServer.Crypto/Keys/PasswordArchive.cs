using System.Buffers.Binary;
using System.Security.Cryptography;
using SbdServer.Core.Certificates;
using SbdServer.Core.Errors;

namespace SbdServer.Crypto.Keys;

/// <summary>
/// Password-encrypted archive for backups: a fresh PBKDF2 salt and GCM nonce per archive.
/// <code>
/// offset size
///   0     8  magic "SBDARCHV"
///   8     1  version = 1
///   9     1  KDF = 1 (PBKDF2-HMAC-SHA256)
///  10     4  PBKDF2 iterations, big-endian
///  14    16  salt
///  30    16  password check = HKDF(master, salt, "check:archive")
///  46    12  GCM nonce
///  58     8  content length n, big-endian
///  66     n  ciphertext (AES-256-GCM, key = HKDF(master, salt, "aes256gcm:archive-v1"), header as associated data)
///  66+n  16  GCM tag
/// </code>
/// The declared length makes truncation a precise error instead of a generic authentication failure.
/// </summary>
public sealed class PasswordArchive(KeyProtectionOptions options) : IPasswordArchive
{
    /// <summary>Largest content one archive holds (it is encrypted in one piece).</summary>
    public const int MaxContentBytes = 1 << 30;

    internal const int HeaderBytes = 66;
    internal const int TagBytes = 16;
    private const byte Version = 1;

    private static readonly byte[] Magic = "SBDARCHV"u8.ToArray();
    private static readonly byte[] CheckPurpose = "archive"u8.ToArray();
    private static readonly byte[] KeyPurpose = "archive-v1"u8.ToArray();

    public byte[] Seal(ReadOnlySpan<byte> content, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        options.Validate();
        if (content.Length > MaxContentBytes)
        {
            throw new ArgumentException($"Archives hold at most {MaxContentBytes} bytes.", nameof(content));
        }

        var archive = new byte[HeaderBytes + content.Length + TagBytes];
        Magic.CopyTo(archive, 0);
        archive[8] = Version;
        archive[9] = PasswordKeyDerivation.Pbkdf2Sha256;
        BinaryPrimitives.WriteInt32BigEndian(archive.AsSpan(10, 4), options.Pbkdf2Iterations);
        RandomNumberGenerator.Fill(archive.AsSpan(14, PasswordKeyDerivation.SaltBytes));
        RandomNumberGenerator.Fill(archive.AsSpan(46, 12));
        BinaryPrimitives.WriteInt64BigEndian(archive.AsSpan(58, 8), content.Length);

        var salt = archive.AsSpan(14, PasswordKeyDerivation.SaltBytes);
        var master = PasswordKeyDerivation.DeriveMaster(password, salt, options.Pbkdf2Iterations);
        var key = PasswordKeyDerivation.EncryptionKey(master, salt, KeyPurpose);
        try
        {
            PasswordKeyDerivation.PasswordCheck(master, salt, CheckPurpose).CopyTo(archive, 30);
            using var aes = new AesGcm(key, TagBytes);
            aes.Encrypt(
                archive.AsSpan(46, 12),
                content,
                archive.AsSpan(HeaderBytes, content.Length),
                archive.AsSpan(HeaderBytes + content.Length, TagBytes),
                archive.AsSpan(0, HeaderBytes));
            return archive;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(master);
            CryptographicOperations.ZeroMemory(key);
        }
    }

    public byte[] Open(ReadOnlySpan<byte> archive, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        if (archive.Length < HeaderBytes + TagBytes)
        {
            throw new ProtectedDataException(
                $"The archive is truncated: {archive.Length} bytes, the smallest archive is {HeaderBytes + TagBytes}.");
        }

        if (!archive[..Magic.Length].SequenceEqual(Magic))
        {
            throw new ProtectedDataException("The file is not an SbdServer archive (wrong magic).");
        }

        if (archive[8] != Version)
        {
            throw new ProtectedDataException($"The archive has version {archive[8]}; this build reads version {Version}.");
        }

        if (archive[9] != PasswordKeyDerivation.Pbkdf2Sha256)
        {
            throw new ProtectedDataException($"The archive names key derivation {archive[9]}, which is unknown.");
        }

        var iterations = BinaryPrimitives.ReadInt32BigEndian(archive.Slice(10, 4));
        if (iterations is < 1 or > KeyProtectionOptions.MaxIterations)
        {
            throw new ProtectedDataException(
                $"The archive declares {iterations} PBKDF2 iterations; 1 to {KeyProtectionOptions.MaxIterations} are allowed.");
        }

        var declared = BinaryPrimitives.ReadInt64BigEndian(archive.Slice(58, 8));
        var present = archive.Length - HeaderBytes - TagBytes;
        if (declared < 0 || declared > MaxContentBytes)
        {
            throw new ProtectedDataException($"The archive declares {declared} content bytes, outside 0 to {MaxContentBytes}.");
        }

        if (declared > present)
        {
            throw new ProtectedDataException(
                $"The archive is truncated: it declares {declared} content bytes, {Math.Max(present, 0)} are present.");
        }

        if (declared < present)
        {
            throw new ProtectedDataException($"The archive has {present - declared} unexpected bytes after its end.");
        }

        var salt = archive.Slice(14, PasswordKeyDerivation.SaltBytes);
        var master = PasswordKeyDerivation.DeriveMaster(password, salt, iterations);
        var key = PasswordKeyDerivation.EncryptionKey(master, salt, KeyPurpose);
        var content = new byte[declared];
        try
        {
            var check = PasswordKeyDerivation.PasswordCheck(master, salt, CheckPurpose);
            if (!CryptographicOperations.FixedTimeEquals(check, archive.Slice(30, PasswordKeyDerivation.CheckBytes)))
            {
                throw new WrongPasswordException("The archive password is wrong.");
            }

            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(
                archive.Slice(46, 12),
                archive.Slice(HeaderBytes, content.Length),
                archive.Slice(HeaderBytes + content.Length, TagBytes),
                content,
                archive[..HeaderBytes]);
            return content;
        }
        catch (AuthenticationTagMismatchException ex)
        {
            CryptographicOperations.ZeroMemory(content);
            throw new ProtectedDataException("The archive failed authentication: it is damaged or was tampered with.", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(master);
            CryptographicOperations.ZeroMemory(key);
        }
    }

    public async Task SealAsync(Stream content, Stream destination, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var plain = await ReadAllAsync(content, MaxContentBytes, "content", cancellationToken);
        try
        {
            var archive = Seal(plain, password);
            await destination.WriteAsync(archive, cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    public async Task OpenAsync(Stream archive, Stream destination, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var sealedBytes = await ReadAllAsync(archive, MaxContentBytes + HeaderBytes + TagBytes, "archive", cancellationToken);
        var plain = Open(sealedBytes, password);
        try
        {
            await destination.WriteAsync(plain, cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    private static async Task<byte[]> ReadAllAsync(Stream source, int limit, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new ProtectedDataException($"The {what} is larger than {limit} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        var result = buffer.ToArray();
        CryptographicOperations.ZeroMemory(buffer.GetBuffer());
        CryptographicOperations.ZeroMemory(chunk);
        return result;
    }
}
