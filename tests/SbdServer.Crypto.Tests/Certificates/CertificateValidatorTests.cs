using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Core.Certificates;
using SbdServer.Crypto.Certificates;
using Xunit;

namespace SbdServer.Crypto.Tests.Certificates;

public class CertificateValidatorTests
{
    private static readonly CertificateValidator Validator = new(new FixedTimeProvider(FactoryPki.Now));

    [Fact]
    public void TrustUpload_ValidCertificate_AcceptedWithFacts()
    {
        var der = FactoryPki.SelfSigned(FactoryPki.Spec());

        var result = Validator.ValidateTrustUpload(der);

        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(TrustRejection.None, result.Rejection);
        Assert.Equal("CUCM8-Publisher.bbbburns.lab", result.Facts!.CommonName);
    }

    [Fact]
    public void TrustUpload_Expired_Rejected()
    {
        var der = FactoryPki.SelfSigned(FactoryPki.Spec(years: 1), FactoryPki.Now.AddYears(-2));

        var result = Validator.ValidateTrustUpload(der);

        Assert.Equal(TrustRejection.Expired, result.Rejection);
        Assert.Contains("expired on", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TrustUpload_NotYetValid_Rejected()
    {
        var der = FactoryPki.SelfSigned(FactoryPki.Spec(), FactoryPki.Now.AddDays(3));

        Assert.Equal(TrustRejection.NotYetValid, Validator.ValidateTrustUpload(der).Rejection);
    }

    [Theory]
    [InlineData("*.bbbburns.lab", null)]
    [InlineData("cucm.bbbburns.lab", "*.bbbburns.lab")]
    public void TrustUpload_Wildcard_Rejected(string commonName, string? dns)
    {
        var der = FactoryPki.SelfSigned(FactoryPki.Spec(commonName: commonName, dns: dns is null ? null : [dns]));

        var result = Validator.ValidateTrustUpload(der);

        Assert.Equal(TrustRejection.Wildcard, result.Rejection);
        Assert.Contains("Wildcard", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TrustUpload_8192BitKey_Rejected()
    {
        var der = CertificateWithRsaPublicKey(8192);

        var result = Validator.ValidateTrustUpload(der);

        Assert.Equal(TrustRejection.KeyTooLarge, result.Rejection);
        Assert.Contains("8192 bits", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TrustUpload_DsaKey_RejectedAsUnsupported()
    {
        using var dsa = DSA.Create(1024);
        var publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(dsa.ExportSubjectPublicKeyInfo(), out _);
        var der = SignedByRoot(publicKey);

        var result = Validator.ValidateTrustUpload(der);

        Assert.Equal(TrustRejection.UnsupportedKey, result.Rejection);
        Assert.Contains("1.2.840.10040.4.1", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TrustUpload_4096BitKey_Accepted()
    {
        Assert.True(Validator.ValidateTrustUpload(CertificateWithRsaPublicKey(4096)).IsValid);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x30, 0x00 })]
    [InlineData(new byte[] { 0x2D, 0x2D, 0x2D, 0x2D })]
    public void TrustUpload_Garbage_RejectedAsMalformed(byte[] input)
    {
        var result = Validator.ValidateTrustUpload(input);

        Assert.Equal(TrustRejection.Malformed, result.Rejection);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
        Assert.Null(result.Facts);
    }

    [Fact]
    public void TrustUpload_BrokenSelfSignature_ParsesButIsNotSelfSigned()
    {
        var der = FactoryPki.SelfSigned(FactoryPki.Spec());
        der[^5] ^= 0x01; // inside the signature: still parses, no longer verifies

        var result = Validator.ValidateTrustUpload(der);

        Assert.True(result.IsValid, result.Reason);
        Assert.False(result.Facts!.IsSelfSigned);
    }

    [Fact]
    public void Issued_ThroughIntermediate_AcceptedWithChain()
    {
        var pendingKey = FactoryPki.RsaKey;
        var der = IssueFor(pendingKey, FactoryPki.Intermediate);

        var result = Validator.ValidateIssuedCertificate(
            der, pendingKey, [FactoryPki.Root.CertificateDer, FactoryPki.Intermediate.CertificateDer]);

        Assert.True(result.IsValid, result.Reason);
        Assert.Equal([der, FactoryPki.Intermediate.CertificateDer, FactoryPki.Root.CertificateDer], result.Chain);
    }

    [Fact]
    public void Issued_IntermediateFromTheUpload_Accepted()
    {
        var der = IssueFor(FactoryPki.RsaKey, FactoryPki.Intermediate);

        var result = Validator.ValidateIssuedCertificate(
            der, FactoryPki.RsaKey, [FactoryPki.Root.CertificateDer], [FactoryPki.Intermediate.CertificateDer]);

        Assert.True(result.IsValid, result.Reason);
    }

    [Fact]
    public void Issued_ForAnotherKey_RejectedAsKeyMismatch()
    {
        var der = IssueFor(FactoryPki.Intermediate.PrivateKeyPkcs8, FactoryPki.Root);

        var result = Validator.ValidateIssuedCertificate(der, FactoryPki.RsaKey, [FactoryPki.Root.CertificateDer]);

        Assert.Equal(TrustRejection.KeyMismatch, result.Rejection);
        Assert.Contains("pending CSR", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Issued_ByUnknownCa_RejectedAsUntrusted()
    {
        var der = IssueFor(FactoryPki.RsaKey, FactoryPki.Root);

        var result = Validator.ValidateIssuedCertificate(der, FactoryPki.RsaKey, [FactoryPki.OtherRoot.CertificateDer]);

        Assert.Equal(TrustRejection.UntrustedChain, result.Rejection);
        Assert.Contains("does not chain", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Issued_MissingIntermediate_RejectedAsUntrusted()
    {
        var der = IssueFor(FactoryPki.RsaKey, FactoryPki.Intermediate);

        var result = Validator.ValidateIssuedCertificate(der, FactoryPki.RsaKey, [FactoryPki.Root.CertificateDer]);

        Assert.Equal(TrustRejection.UntrustedChain, result.Rejection);
    }

    [Fact]
    public void Issued_TrustStoreWithoutRoot_RejectedWithAdvice()
    {
        var der = IssueFor(FactoryPki.RsaKey, FactoryPki.Intermediate);

        var result = Validator.ValidateIssuedCertificate(der, FactoryPki.RsaKey, [FactoryPki.Intermediate.CertificateDer]);

        Assert.Equal(TrustRejection.UntrustedChain, result.Rejection);
        Assert.Contains("root", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Issued_SelfSigned_Rejected()
    {
        var der = FactoryPki.SelfSigned(FactoryPki.Spec());

        var result = Validator.ValidateIssuedCertificate(der, FactoryPki.RsaKey, [der]);

        Assert.Equal(TrustRejection.UntrustedChain, result.Rejection);
        Assert.Contains("self-signed", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Issued_Expired_RejectedBeforeChainCheck()
    {
        var spec = FactoryPki.Spec(years: 1);
        var issued = FactoryPki.Factory.CreateSigned(spec, FactoryPki.Now.AddYears(-3), FactoryPki.Root);

        var result = Validator.ValidateIssuedCertificate(
            issued.CertificateDer, issued.PrivateKeyPkcs8, [FactoryPki.Root.CertificateDer]);

        Assert.Equal(TrustRejection.Expired, result.Rejection);
    }

    [Fact]
    public void Issued_GarbageTrustCertificate_RejectedAsMalformed()
    {
        var der = IssueFor(FactoryPki.RsaKey, FactoryPki.Root);

        var result = Validator.ValidateIssuedCertificate(der, FactoryPki.RsaKey, [[0x30, 0x01, 0x00]]);

        Assert.Equal(TrustRejection.Malformed, result.Rejection);
    }

    /// <summary>A certificate for <paramref name="subjectKeyPkcs8"/> signed by <paramref name="issuer"/>, as a CA would.</summary>
    private static byte[] IssueFor(byte[] subjectKeyPkcs8, CertificateWithKey issuer)
    {
        using var issuerCertificate = X509CertificateLoader.LoadCertificate(issuer.CertificateDer);
        using var issuerKey = ImportKey(issuer.PrivateKeyPkcs8);
        using var subjectKey = ImportKey(subjectKeyPkcs8);
        var publicKey = subjectKey switch
        {
            RSA rsa => PublicKey.CreateFromSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo(), out _),
            ECDsa ec => PublicKey.CreateFromSubjectPublicKeyInfo(ec.ExportSubjectPublicKeyInfo(), out _),
            _ => throw new InvalidOperationException(),
        };
        var request = new CertificateRequest(new X500DistinguishedName("CN=cucm.bbbburns.lab"), publicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var generator = issuerKey switch
        {
            RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
            ECDsa ec => X509SignatureGenerator.CreateForECDsa(ec),
            _ => throw new InvalidOperationException(),
        };
        using var certificate = request.Create(
            issuerCertificate.SubjectName, generator, FactoryPki.Now.AddDays(-1), FactoryPki.Now.AddYears(2), [0x42, 0x01]);
        return certificate.RawData;
    }

    private static AsymmetricAlgorithm ImportKey(byte[] pkcs8)
    {
        try
        {
            var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(pkcs8, out _);
            return rsa;
        }
        catch (CryptographicException)
        {
            var ec = ECDsa.Create();
            ec.ImportPkcs8PrivateKey(pkcs8, out _);
            return ec;
        }
    }

    /// <summary>
    /// A certificate whose subject key is an RSA public key of <paramref name="bits"/> bits (a random odd modulus: no
    /// private key is needed, and generating a real 8192-bit key would take a minute), signed by the test root.
    /// </summary>
    private static byte[] CertificateWithRsaPublicKey(int bits)
    {
        var modulus = RandomNumberGenerator.GetBytes(bits / 8);
        modulus[0] |= 0x80;
        modulus[^1] |= 0x01;
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = modulus, Exponent = [0x01, 0x00, 0x01] });
        return SignedByRoot(PublicKey.CreateFromSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo(), out _));
    }

    private static byte[] SignedByRoot(PublicKey publicKey)
    {
        var request = new CertificateRequest(new X500DistinguishedName("CN=odd-key"), publicKey, HashAlgorithmName.SHA256);
        using var issuerKey = RSA.Create();
        issuerKey.ImportPkcs8PrivateKey(FactoryPki.Root.PrivateKeyPkcs8, out _);
        using var issuerCertificate = X509CertificateLoader.LoadCertificate(FactoryPki.Root.CertificateDer);
        using var certificate = request.Create(
            issuerCertificate.SubjectName,
            X509SignatureGenerator.CreateForRSA(issuerKey, RSASignaturePadding.Pkcs1),
            FactoryPki.Now.AddDays(-1),
            FactoryPki.Now.AddYears(1),
            BigInteger.One.ToByteArray());
        return certificate.RawData;
    }
}
