using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SbdServer.Wire.Capf;

namespace SbdServer.Core.Capf;

/// <summary>
/// The proof of possession in a certificate-mode AUTH_RESPONSE: a signature over <c>device name + NUL + certificate
/// DER</c> with the certificate's key. RSA phones (and capfc) write PKCS#1 type-1 padding around the bare digest,
/// without the DigestInfo that <see cref="RSA.VerifyData(byte[], byte[], HashAlgorithmName, RSASignaturePadding)"/>
/// expects, so RSA is checked with the raw public operation; EC signatures are DER ECDSA.
/// </summary>
public static class CapfSignedData
{
    /// <summary>The bytes the phone signs.</summary>
    public static byte[] Payload(string deviceName, ReadOnlySpan<byte> certificateDer)
    {
        ArgumentNullException.ThrowIfNull(deviceName);
        var payload = new byte[deviceName.Length + 1 + certificateDer.Length];
        Encoding.ASCII.GetBytes(deviceName, payload);
        certificateDer.CopyTo(payload.AsSpan(deviceName.Length + 1));
        return payload;
    }

    /// <summary>True when the SHA-2 signature (preferred) or else the SHA-1 one verifies with the certificate's key.</summary>
    public static bool Verify(CapfAuthResponse auth, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(auth);
        ArgumentNullException.ThrowIfNull(certificate);
        var payload = Payload(auth.DeviceName, certificate.RawData);
        var (hash, signature) = auth.Sha2SignedData is { } sha2
            ? (sha2.Digest switch
            {
                CapfDigest.Sha256 => HashAlgorithmName.SHA256,
                CapfDigest.Sha512 => HashAlgorithmName.SHA512,
                _ => HashAlgorithmName.SHA1,
            }, sha2.Signature)
            : (HashAlgorithmName.SHA1, auth.SignedData ?? ReadOnlyMemory<byte>.Empty);
        if (signature.IsEmpty)
        {
            return false;
        }

        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is not null)
        {
            return VerifyRsaBareDigest(rsa, payload, signature.Span, hash)
                || rsa.VerifyData(payload, signature.Span, hash, RSASignaturePadding.Pkcs1);
        }

        using var ec = certificate.GetECDsaPublicKey();
        return ec is not null && ec.VerifyData(payload, signature.Span, hash, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>A PKCS#1 type-1 block around the bare digest, as the phone writes it (the signer side, for the emulated phone).</summary>
    public static byte[] EncodeBareDigest(ReadOnlySpan<byte> digest, int modulusBytes)
    {
        if (modulusBytes < digest.Length + 11)
        {
            throw new ArgumentException("The modulus is too small for the digest.", nameof(modulusBytes));
        }

        var block = new byte[modulusBytes];
        block[1] = 0x01;
        block.AsSpan(2, modulusBytes - 3 - digest.Length).Fill(0xFF);
        digest.CopyTo(block.AsSpan(modulusBytes - digest.Length));
        return block;
    }

    private static bool VerifyRsaBareDigest(RSA rsa, byte[] payload, ReadOnlySpan<byte> signature, HashAlgorithmName hash)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var modulusBytes = parameters.Modulus!.Length;
        if (signature.Length != modulusBytes)
        {
            return false;
        }

        var n = new BigInteger(parameters.Modulus, isUnsigned: true, isBigEndian: true);
        var s = new BigInteger(signature, isUnsigned: true, isBigEndian: true);
        if (s >= n)
        {
            return false;
        }

        var m = BigInteger.ModPow(s, new BigInteger(parameters.Exponent, isUnsigned: true, isBigEndian: true), n);
        var block = new byte[modulusBytes];
        if (!m.TryWriteBytes(block.AsSpan(modulusBytes - m.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true))
        {
            return false;
        }

        var digest = hash.Name switch
        {
            "SHA256" => SHA256.HashData(payload),
            "SHA512" => SHA512.HashData(payload),
#pragma warning disable CA5350 // SHA-1 SIGNED DATA is what older phones send; SHA-2 is preferred when present.
            _ => SHA1.HashData(payload),
#pragma warning restore CA5350
        };
        return CryptographicOperations.FixedTimeEquals(block, EncodeBareDigest(digest, modulusBytes));
    }
}
