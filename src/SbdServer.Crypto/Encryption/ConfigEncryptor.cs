using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Crypto.Signing;
using SbdServer.Wire.EncSgn;
using SbdServer.Wire.Signed;

namespace SbdServer.Crypto.Encryption;

/// <summary>
/// AES-128-CBC encryption of phone configs: a fresh random key and IV per file, plaintext padded with 1..16 bytes
/// of 0x0D, the key wrapped with RSA PKCS#1 v1.5 for the phone certificate, the plaintext digest in the header.
/// </summary>
public static class ConfigEncryptor
{
    private const int AesKeyBytes = 16;
    private const byte PadByte = 0x0D;

    public static EncryptedConfig Encrypt(
        ReadOnlySpan<byte> plaintext, X509Certificate2 phoneCertificate, HashAlgorithmCode digest)
    {
        using var phoneKey = PhoneKey(phoneCertificate);
        var padding = EncSgnCodec.PaddingFor(plaintext.Length);
        var padded = new byte[plaintext.Length + padding];
        plaintext.CopyTo(padded);
        padded.AsSpan(plaintext.Length).Fill(PadByte);

        var key = RandomNumberGenerator.GetBytes(AesKeyBytes);
        var iv = RandomNumberGenerator.GetBytes(EncryptionBlock.IvSize);
        try
        {
            using var aes = Aes.Create();
            aes.Key = key;
            var ciphertext = aes.EncryptCbc(padded, iv, PaddingMode.None);
            var wrapped = phoneKey.Encrypt(key, RSAEncryptionPadding.Pkcs1);
            var block = new EncryptionBlock(
                iv,
                (ushort)padding,
                checked((ushort)(wrapped.Length * 8)),
                EncryptionBlock.AesKeyAlgorithm,
                wrapped,
                digest,
                HashAlgorithmMapping.Hash(digest, plaintext));
            return new EncryptedConfig(block, ciphertext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(padded);
        }
    }

    /// <summary>Unwraps the key with the phone's private key, decrypts, strips the padding, checks the digest.</summary>
    public static byte[] Decrypt(SignedFile encSgn, RSA phonePrivateKey)
    {
        var block = encSgn.Header.Encryption
            ?? throw new ConfigEncryptionException("The file has no encryption header (tags 16..27).");
        if (encSgn.Body.IsEmpty || encSgn.Body.Length % EncSgnCodec.BlockSize != 0)
        {
            throw new ConfigEncryptionException(
                $"The ciphertext is {encSgn.Body.Length} bytes, not a positive multiple of {EncSgnCodec.BlockSize}.");
        }

        byte[] key;
        try
        {
            key = phonePrivateKey.Decrypt(block.WrappedKey, RSAEncryptionPadding.Pkcs1);
        }
        catch (CryptographicException e)
        {
            throw new ConfigEncryptionException(
                "The wrapped AES key does not decrypt with this phone key (the file was encrypted for another " +
                "phone certificate).", e);
        }

        try
        {
            if (key.Length != AesKeyBytes)
            {
                throw new ConfigEncryptionException(
                    $"The unwrapped key is {key.Length} bytes; AES-128 needs {AesKeyBytes}.");
            }

            using var aes = Aes.Create();
            aes.Key = key;
            var padded = aes.DecryptCbc(encSgn.Body.Span, block.Iv, PaddingMode.None);
            var length = padded.Length - block.PaddingCount;
            if (length < 0 || padded.AsSpan(length).ContainsAnyExcept(PadByte))
            {
                throw new ConfigEncryptionException(
                    $"The decrypted payload does not end in {block.PaddingCount} padding bytes of 0x0D.");
            }

            var plaintext = padded[..length];
            var digest = HashAlgorithmMapping.Hash(block.HashAlgorithm, plaintext);
            if (!CryptographicOperations.FixedTimeEquals(digest, block.PlaintextHash))
            {
                throw new ConfigEncryptionException("The decrypted config does not match the encryption digest.");
            }

            return plaintext;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>certHash of the stub config: lower-case hex MD5 of the phone certificate DER.</summary>
    public static string CertificateHash(X509Certificate2 phoneCertificate) =>
        Convert.ToHexStringLower(MD5.HashData(phoneCertificate.RawData));

    private static RSA PhoneKey(X509Certificate2 phoneCertificate)
    {
        if (CertificateFacts.IsEllipticCurve(phoneCertificate))
        {
            throw new ConfigEncryptionException(
                "The phone certificate has an EC key; encrypted configs wrap the AES key with RSA PKCS#1 v1.5, " +
                "so the phone needs an RSA LSC (or MIC).");
        }

        return phoneCertificate.GetRSAPublicKey()
            ?? throw new ConfigEncryptionException("The phone certificate has no RSA public key.");
    }
}
