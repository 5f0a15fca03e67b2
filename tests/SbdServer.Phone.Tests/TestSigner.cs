using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Testing;
using SbdServer.Wire.Signed;

namespace SbdServer.Phone.Tests;

/// <summary>Signs test files with a key of the test's own (.NET RSA), independent of the server's signing code.</summary>
internal sealed class TestSigner(X509Certificate2 certificate) : IFileSigner, IDisposable
{
    private readonly RSA _key = certificate.GetRSAPrivateKey() ?? throw new ArgumentException("needs an RSA private key");

    public X509Certificate2 Certificate { get; } = certificate;

    public SignerIdentity Identity { get; } = SignerIdentity.FromCertificate(certificate);

    /// <summary>A fresh self-signed 2048-bit certificate, like a regenerated CallManager.pem.</summary>
    public static TestSigner Create(string commonName) =>
        new(TestPki.FreshRsa($"CN={commonName}, OU=Test, O=Phone Tests, C=US"));

    /// <summary>The signer from a vector PEM (key + certificate).</summary>
    public static TestSigner FromPem(string path)
    {
        var pem = File.ReadAllText(path);
        return new TestSigner(X509Certificate2.CreateFromPem(pem, pem));
    }

    public int Sign(ReadOnlySpan<byte> data, HashAlgorithmCode hash, Span<byte> signature)
    {
        var name = hash switch
        {
            HashAlgorithmCode.Sha512 => HashAlgorithmName.SHA512,
            HashAlgorithmCode.Sha256 => HashAlgorithmName.SHA256,
            _ => HashAlgorithmName.SHA1,
        };
        return _key.SignData(data, signature, name, RSASignaturePadding.Pkcs1);
    }

    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }
}
