using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using SbdServer.Core.Cluster;

namespace SbdServer.Host.Auth;

/// <summary>
/// Seals Data Protection key elements under the cluster security password before they reach the database, as the
/// other private keys are: a copy of the database alone cannot forge admin sessions. AES-256-GCM, key from
/// PBKDF2-SHA256 over the password with a random salt per element.
/// </summary>
/// <remarks>The secret is resolved at the first use, like <see cref="DatabaseXmlRepository"/>'s store.</remarks>
internal sealed class ClusterKeyXmlEncryptor(IServiceProvider services) : IXmlEncryptor
{
    internal const int Iterations = 100_000;
    private const int SaltBytes = 16;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var key = DeriveKey(services.GetRequiredService<ClusterSecret>(), salt);
        var sealedBytes = new byte[SaltBytes + NonceBytes + TagBytes + plaintext.Length];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(SaltBytes + NonceBytes + TagBytes), sealedBytes.AsSpan(SaltBytes + NonceBytes, TagBytes));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(plaintext);
        }

        salt.CopyTo(sealedBytes, 0);
        nonce.CopyTo(sealedBytes, SaltBytes);
        var element = new XElement("sbdSealedKey", new XAttribute("version", "1"), Convert.ToBase64String(sealedBytes));
        return new EncryptedXmlInfo(element, typeof(ClusterKeyXmlDecryptor));
    }

    internal static byte[] DeriveKey(ClusterSecret secret, ReadOnlySpan<byte> salt) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret.SecurityPassword), salt, Iterations, HashAlgorithmName.SHA256, 32);

    internal static XElement Decrypt(ClusterSecret secret, XElement encryptedElement)
    {
        var sealedBytes = Convert.FromBase64String(encryptedElement.Value);
        if (sealedBytes.Length < SaltBytes + NonceBytes + TagBytes)
        {
            throw new CryptographicException("A sealed Data Protection key is truncated.");
        }

        var key = DeriveKey(secret, sealedBytes.AsSpan(0, SaltBytes));
        var plaintext = new byte[sealedBytes.Length - SaltBytes - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(
                sealedBytes.AsSpan(SaltBytes, NonceBytes),
                sealedBytes.AsSpan(SaltBytes + NonceBytes + TagBytes),
                sealedBytes.AsSpan(SaltBytes + NonceBytes, TagBytes),
                plaintext);
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}

/// <summary>Opens what <see cref="ClusterKeyXmlEncryptor"/> sealed; Data Protection creates it through the service provider.</summary>
internal sealed class ClusterKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        return ClusterKeyXmlEncryptor.Decrypt(services.GetRequiredService<ClusterSecret>(), encryptedElement);
    }
}
