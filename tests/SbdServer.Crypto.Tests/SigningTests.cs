using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Crypto.Signing;
using SbdServer.Wire.Signed;
using Xunit;

namespace SbdServer.Crypto.Tests;

public sealed class SigningTests
{
    [Theory]
    [InlineData(1024, HashAlgorithmCode.Sha1)]
    [InlineData(2048, HashAlgorithmCode.Sha256)]
    [InlineData(2048, HashAlgorithmCode.Sha512)]
    [InlineData(4096, HashAlgorithmCode.Sha512)]
    public void Dotnet_and_bouncycastle_produce_the_same_pkcs1_signature(int bits, HashAlgorithmCode hash)
    {
        using var certificate = Testing.TestPki.Rsa("signer", bits);
        using var dotnet = RsaFileSigner.FromCertificate(certificate);
        var bouncy = new BouncyCastleFileSigner(certificate.GetRSAPrivateKey()!, dotnet.Identity);
        var data = RandomNumberGenerator.GetBytes(7600);
        var a = new byte[512];
        var b = new byte[512];

        var lengthA = dotnet.Sign(data, hash, a);
        var lengthB = bouncy.Sign(data, hash, b);

        Assert.Equal(bits / 8, lengthA);
        Assert.Equal(a[..lengthA], b[..lengthB]);
        using var publicKey = certificate.GetRSAPublicKey()!;
        Assert.True(publicKey.VerifyData(data, a.AsSpan(0, lengthA), HashAlgorithmMapping.ToName(hash),
            RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void Signer_identity_comes_from_the_certificate()
    {
        using var certificate = Testing.TestPki.Rsa("cucm.example", 1024);
        using var signer = RsaFileSigner.FromCertificate(certificate);
        Assert.Equal("CN=cucm.example;OU=TAC;O=Cisco;C=US", signer.Identity.SubjectName);
        Assert.Equal(signer.Identity.SubjectName, signer.Identity.IssuerName);
        Assert.Equal(1024, signer.Identity.KeySizeBits);
        Assert.Equal(CertificateFacts.SerialNumber(certificate), signer.Identity.SerialNumber);
    }

    [Fact]
    public void Ec_signer_is_refused_with_a_clear_reason()
    {
        using var certificate = Testing.TestPki.Ec("ec-signer");
        var error = Assert.Throws<SigningException>(() => RsaFileSigner.FromCertificate(certificate));
        Assert.Contains("EC key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Certificate_without_private_key_is_refused()
    {
        using var withKey = Testing.TestPki.Rsa("no-key");
        using var publicOnly = X509CertificateLoader.LoadCertificate(withKey.RawData);
        var error = Assert.Throws<SigningException>(() => RsaFileSigner.FromCertificate(publicOnly));
        Assert.Contains("no RSA private key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_that_does_not_match_the_identity_size_is_refused()
    {
        using var key = RSA.Create(1024);
        var identity = new SignerIdentity("CN=a", [1], "CN=a", 2048);
        Assert.Throws<ArgumentException>(() => new RsaFileSigner(key, identity));
    }
}
