using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Wire.Signed;

namespace SbdServer.Crypto.Signing;

/// <summary>
/// RSA PKCS#1 v1.5 file signer on .NET's <see cref="RSA"/> (OpenSSL on Linux): the hot-path signer, measured
/// faster than BouncyCastle (docs/benchmarks.md).
/// </summary>
public sealed class RsaFileSigner : IFileSigner, IDisposable
{
    private readonly RSA _key;

    /// <param name="key">The private key; this signer owns and disposes it.</param>
    /// <param name="identity">The facts of the certificate that belongs to <paramref name="key"/>.</param>
    public RsaFileSigner(RSA key, SignerIdentity identity)
    {
        if (key.KeySize != identity.KeySizeBits)
        {
            throw new ArgumentException(
                $"The key is {key.KeySize} bits but the signer certificate says {identity.KeySizeBits}.",
                nameof(identity));
        }

        _key = key;
        Identity = identity;
    }

    public SignerIdentity Identity { get; }

    /// <summary>A signer for a certificate that has its RSA private key attached.</summary>
    public static RsaFileSigner FromCertificate(X509Certificate2 certificate)
    {
        if (CertificateFacts.IsEllipticCurve(certificate))
        {
            throw new SigningException(
                "The signer certificate has an EC key; phone files are signed with RSA (PKCS#1 v1.5) only.");
        }

        var key = certificate.GetRSAPrivateKey()
            ?? throw new SigningException("The signer certificate has no RSA private key.");
        return new RsaFileSigner(key, SignerIdentity.FromCertificate(certificate));
    }

    public int Sign(ReadOnlySpan<byte> data, HashAlgorithmCode hash, Span<byte> signature)
    {
        if (!_key.TrySignData(data, signature, HashAlgorithmMapping.ToName(hash), RSASignaturePadding.Pkcs1,
                out var written))
        {
            throw new SigningException($"The signature buffer of {signature.Length} bytes is too small.");
        }

        return written;
    }

    public void Dispose() => _key.Dispose();
}
