using System.Formats.Asn1;
using System.Security.Cryptography;
using SbdServer.Core.Certificates;

namespace SbdServer.Crypto.Certificates;

/// <summary>PKCS#8 private keys to and from .NET key objects (RSA and EC only, the key types CUCM offers).</summary>
internal static class PrivateKeys
{
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";

    /// <summary>An RSA or ECDsa key from PKCS#8 DER; the caller disposes it.</summary>
    public static AsymmetricAlgorithm Import(ReadOnlySpan<byte> pkcs8)
    {
        var oid = ReadAlgorithmOid(pkcs8);
        try
        {
            switch (oid)
            {
                case RsaOid:
                    var rsa = RSA.Create();
                    ImportOrDispose(rsa, pkcs8);
                    return rsa;
                case EcOid:
                    var ec = ECDsa.Create();
                    ImportOrDispose(ec, pkcs8);
                    return ec;
                default:
                    throw new CertificateImportException(
                        $"Private key algorithm {oid} is not supported; use RSA or EC.");
            }
        }
        catch (CryptographicException ex)
        {
            throw new CertificateImportException("The private key is damaged: its PKCS#8 structure does not decode.", ex);
        }
        catch (PlatformNotSupportedException ex)
        {
            // OpenSSL refuses curves it does not know; for an uploaded key that is a bad input, not a server fault.
            throw new CertificateImportException("The private key uses an elliptic curve this server does not support; use P-256, P-384 or P-521.", ex);
        }
    }

    /// <summary>The SubjectPublicKeyInfo DER of a PKCS#8 private key, for comparison with a certificate's key.</summary>
    public static byte[] PublicKeyInfo(ReadOnlySpan<byte> pkcs8)
    {
        using var key = Import(pkcs8);
        return key.ExportSubjectPublicKeyInfo();
    }

    /// <summary>Key size in bits of an RSA or ECDsa key.</summary>
    public static int KeySize(AsymmetricAlgorithm key) => key.KeySize;

    /// <summary>
    /// The hash CUCM pairs with a signing key: SHA-256 for RSA and P-256, SHA-384 for P-384, SHA-512 for P-521
    /// ("hash at least as strong as the curve").
    /// </summary>
    public static HashAlgorithmName SignatureHash(AsymmetricAlgorithm key) => key switch
    {
        ECDsa { KeySize: > 384 } => HashAlgorithmName.SHA512,
        ECDsa { KeySize: > 256 } => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA256,
    };

    private static void ImportOrDispose(AsymmetricAlgorithm key, ReadOnlySpan<byte> pkcs8)
    {
        try
        {
            key.ImportPkcs8PrivateKey(pkcs8, out var read);
            if (read != pkcs8.Length)
            {
                throw new CertificateImportException(
                    $"The private key has {pkcs8.Length - read} trailing bytes after its PKCS#8 structure.");
            }
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static string ReadAlgorithmOid(ReadOnlySpan<byte> pkcs8)
    {
        try
        {
            // PrivateKeyInfo ::= SEQUENCE { version INTEGER, privateKeyAlgorithm AlgorithmIdentifier, ... }
            // Decoded in place: the key bytes are never copied into a buffer we cannot wipe.
            const AsnEncodingRules rules = AsnEncodingRules.BER;
            AsnDecoder.ReadSequence(pkcs8, rules, out var offset, out var length, out _);
            var info = pkcs8.Slice(offset, length);
            AsnDecoder.ReadEncodedValue(info, rules, out _, out _, out var versionLength);
            info = info[versionLength..];
            AsnDecoder.ReadSequence(info, rules, out offset, out length, out _);
            return AsnDecoder.ReadObjectIdentifier(info.Slice(offset, length), rules, out _);
        }
        catch (AsnContentException ex)
        {
            throw new CertificateImportException("The private key is not a PKCS#8 structure.", ex);
        }
    }
}
