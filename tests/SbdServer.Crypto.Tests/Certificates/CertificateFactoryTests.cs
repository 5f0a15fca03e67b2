using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Core.Certificates;
using SbdServer.Crypto.Certificates;
using SbdServer.Testing;
using SbdServer.Wire.Dn;
using Xunit;

namespace SbdServer.Crypto.Tests.Certificates;

public class CertificateFactoryTests
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private const string IpsecEndSystem = "1.3.6.1.5.5.7.3.5";

    private static readonly CertificateFactory Factory = FactoryPki.Factory;

    [Theory]
    [InlineData(KeyAlgorithm.Rsa1024, "RSA", 1024, "1.2.840.113549.1.1.11")]
    [InlineData(KeyAlgorithm.Rsa2048, "RSA", 2048, "1.2.840.113549.1.1.11")]
    [InlineData(KeyAlgorithm.Rsa3072, "RSA", 3072, "1.2.840.113549.1.1.11")]
    [InlineData(KeyAlgorithm.Rsa4096, "RSA", 4096, "1.2.840.113549.1.1.11")]
    [InlineData(KeyAlgorithm.EcP256, "EC", 256, "1.2.840.10045.4.3.2")]
    [InlineData(KeyAlgorithm.EcP384, "EC", 384, "1.2.840.10045.4.3.3")]
    [InlineData(KeyAlgorithm.EcP521, "EC", 521, "1.2.840.10045.4.3.4")]
    public void CreateSelfSigned_EveryKeyType_HasKeySizeHashAndMatchingKey(
        KeyAlgorithm algorithm, string family, int bits, string signatureOid)
    {
        var spec = FactoryPki.Spec() with { Key = algorithm };

        var created = Factory.CreateSelfSigned(spec, FactoryPki.Now);

        using var certificate = X509CertificateLoader.LoadCertificate(created.CertificateDer);
        var facts = new CertificateInspector().Inspect(created.CertificateDer);
        Assert.Equal(family, facts.PublicKeyAlgorithm);
        Assert.Equal(bits, facts.KeySizeBits);
        Assert.Equal(signatureOid, certificate.SignatureAlgorithm.Value);
        Assert.True(facts.IsSelfSigned);
        Assert.True(new CertificateInspector().KeyMatches(created.CertificateDer, created.PrivateKeyPkcs8));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(10)]
    [InlineData(16)]
    [InlineData(20)]
    public void Serial_HasExactLengthAndIsPositive(int length)
    {
        for (var i = 0; i < 40; i++)
        {
            var der = FactoryPki.SelfSigned(FactoryPki.Spec(serialBytes: length));

            using var certificate = X509CertificateLoader.LoadCertificate(der);
            var serial = certificate.SerialNumberBytes.Span;
            Assert.Equal(length, serial.Length);
            Assert.True(serial[0] is > 0 and < 0x80, $"first serial byte {serial[0]:X2} must be 01-7F");
        }
    }

    [Fact]
    public void Serials_AreRandom()
    {
        var serials = Enumerable.Range(0, 20)
            .Select(_ => new CertificateInspector().Inspect(FactoryPki.SelfSigned(FactoryPki.Spec(serialBytes: 8))).SerialNumber)
            .ToHashSet();

        Assert.Equal(20, serials.Count);
    }

    [Fact]
    public void Subject_IsEncodedInCucmOrder()
    {
        var der = FactoryPki.SelfSigned(FactoryPki.Spec());

        using var certificate = X509CertificateLoader.LoadCertificate(der);
        var types = certificate.SubjectName.EnumerateRelativeDistinguishedNames(reversed: false)
            .Select(r => r.GetSingleElementType().FriendlyName ?? r.GetSingleElementType().Value)
            .ToList();
        Assert.Equal(["CN", "OU", "O", "L", "S", "C"], types);
        var subject = DistinguishedNames.ToCucm(certificate.SubjectName);
        Assert.Equal("CN=CUCM8-Publisher.bbbburns.lab;OU=TAC;O=Cisco;L=RTP;ST=North Carolina;C=US", subject);
        Assert.Equal(76, subject.Length + 1); // the seed's SIGNER NAME: 76 bytes with the NUL
    }

    [Fact]
    public void Subject_OmitsMissingParts()
    {
        var spec = FactoryPki.Spec() with { Subject = new SubjectName("tvs.example", Country: "us") };

        var subject = new CertificateInspector().Inspect(FactoryPki.SelfSigned(spec)).Subject;

        Assert.Equal("CN=tvs.example;C=US", subject);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("host", "USA")]
    [InlineData("host", "U1")]
    public void Subject_Invalid_Throws(string commonName, string? country)
    {
        var spec = FactoryPki.Spec() with { Subject = new SubjectName(commonName, Country: country) };

        Assert.ThrowsAny<ArgumentException>(() => FactoryPki.SelfSigned(spec));
    }

    [Fact]
    public void Subject_OverlongCommonName_Throws()
    {
        var spec = FactoryPki.Spec(commonName: new string('a', 65));

        var ex = Assert.ThrowsAny<ArgumentException>(() => FactoryPki.SelfSigned(spec));
        Assert.Contains("64", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(20)]
    public void Validity_StartsAtNotBeforeToTheSecondAndLastsYears(int years)
    {
        var notBefore = new DateTimeOffset(2026, 3, 4, 5, 6, 7, 890, TimeSpan.FromHours(2));

        var facts = new CertificateInspector().Inspect(FactoryPki.SelfSigned(FactoryPki.Spec(years: years), notBefore));

        var expectedStart = new DateTimeOffset(2026, 3, 4, 3, 6, 7, TimeSpan.Zero);
        Assert.Equal(expectedStart, facts.NotBefore);
        Assert.Equal(expectedStart.AddYears(years), facts.NotAfter);
    }

    [Theory]
    [InlineData(0, 8)]
    [InlineData(101, 8)]
    [InlineData(5, 0)]
    [InlineData(5, 21)]
    public void Spec_OutOfRange_Throws(int years, int serialBytes)
    {
        Assert.ThrowsAny<ArgumentException>(() => FactoryPki.SelfSigned(FactoryPki.Spec(serialBytes: serialBytes, years: years)));
    }

    [Theory]
    [InlineData(CertificatePurpose.Identity, false,
        X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment
        | X509KeyUsageFlags.KeyAgreement,
        new[] { ServerAuth, ClientAuth, IpsecEndSystem })]
    [InlineData(CertificatePurpose.TlsServer, false,
        X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment
        | X509KeyUsageFlags.KeyAgreement,
        new[] { ServerAuth })]
    [InlineData(CertificatePurpose.Authority, true,
        X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature
        | X509KeyUsageFlags.KeyEncipherment,
        new[] { ServerAuth, ClientAuth, IpsecEndSystem })]
    [InlineData(CertificatePurpose.Phone, false,
        X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment,
        new[] { ServerAuth, ClientAuth, IpsecEndSystem })]
    public void Extensions_FollowPurpose(
        CertificatePurpose purpose, bool isCa, X509KeyUsageFlags usage, string[] ekus)
    {
        var der = FactoryPki.SelfSigned(FactoryPki.Spec(purpose: purpose));

        using var certificate = X509CertificateLoader.LoadCertificate(der);
        var constraints = Assert.Single(certificate.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.Equal(isCa, constraints.CertificateAuthority);
        Assert.True(constraints.Critical);
        Assert.Equal(usage, Assert.Single(certificate.Extensions.OfType<X509KeyUsageExtension>()).KeyUsages);
        var eku = Assert.Single(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.Equal(ekus, eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        Assert.Single(certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
    }

    [Fact]
    public void DnsNames_BecomeSubjectAlternativeNames()
    {
        var der = FactoryPki.SelfSigned(FactoryPki.Spec(dns: ["cucm8-publisher.bbbburns.lab", "cucm8-publisher"]));

        var facts = new CertificateInspector().Inspect(der);

        Assert.Equal(["cucm8-publisher.bbbburns.lab", "cucm8-publisher"], facts.DnsNames);
    }

    [Fact]
    public void NoDnsNames_NoSubjectAlternativeNameExtension()
    {
        using var certificate = X509CertificateLoader.LoadCertificate(FactoryPki.SelfSigned(FactoryPki.Spec()));

        Assert.Empty(certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>());
    }

    [Fact]
    public void CreateSigned_SeedCallManager_ChainsToJasburnsCa()
    {
        // The seed: CallManager.pem with a 1024-bit key and a 10-byte serial, issued by a 2048-bit CA CN=JASBURNS-AD.
        var spec = FactoryPki.Spec(serialBytes: 10) with { Key = KeyAlgorithm.Rsa1024 };

        var created = Factory.CreateSigned(spec, FactoryPki.Now, FactoryPki.Root);

        var facts = new CertificateInspector().Inspect(created.CertificateDer);
        Assert.Equal("CN=JASBURNS-AD", facts.Issuer);
        Assert.Equal(15, facts.Issuer.Length + 1); // ISSUER NAME with NUL in the seed's ITL
        Assert.Equal(20, facts.SerialNumber.Length);
        Assert.Equal(1024, facts.KeySizeBits);
        Assert.False(facts.IsSelfSigned);
        using var leaf = X509CertificateLoader.LoadCertificate(created.CertificateDer);
        using var root = X509CertificateLoader.LoadCertificate(FactoryPki.Root.CertificateDer);
        Assert.Equal("1.2.840.113549.1.1.11", leaf.SignatureAlgorithm.Value);
        var aki = Assert.Single(leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>());
        var ski = Assert.Single(root.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
        Assert.Equal(ski.SubjectKeyIdentifierBytes.ToArray(), aki.KeyIdentifier!.Value.ToArray());
        Assert.True(BuildChain(leaf, [root], []));
    }

    [Fact]
    public void CreateSigned_ByEcP384Issuer_UsesSha384AndChainsThroughIntermediate()
    {
        var created = Factory.CreateSigned(
            FactoryPki.Spec(purpose: CertificatePurpose.Phone) with { Key = KeyAlgorithm.EcP256 },
            FactoryPki.Now,
            FactoryPki.Intermediate);

        using var leaf = X509CertificateLoader.LoadCertificate(created.CertificateDer);
        using var intermediate = X509CertificateLoader.LoadCertificate(FactoryPki.Intermediate.CertificateDer);
        using var root = X509CertificateLoader.LoadCertificate(FactoryPki.Root.CertificateDer);
        Assert.Equal("1.2.840.10045.4.3.3", leaf.SignatureAlgorithm.Value);
        Assert.True(BuildChain(leaf, [root], [intermediate]));
        Assert.False(BuildChain(leaf, [root], []));
    }

    [Fact]
    public void CreateSigned_IssuerKeyMismatch_Throws()
    {
        var issuer = FactoryPki.Root with { PrivateKeyPkcs8 = FactoryPki.RsaKey };

        var ex = Assert.Throws<CertificateImportException>(() => Factory.CreateSigned(FactoryPki.Spec(), FactoryPki.Now, issuer));
        Assert.Contains("does not match", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateSigned_IssuerNotCa_Throws()
    {
        var issuer = new CertificateWithKey(FactoryPki.SelfSigned(FactoryPki.Spec()), FactoryPki.RsaKey);

        var ex = Assert.Throws<CertificateImportException>(() => Factory.CreateSigned(FactoryPki.Spec(), FactoryPki.Now, issuer));
        Assert.Contains("not a CA", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateSelfSignedForKey_KeepsTheKeyAndChangesTheCertificate()
    {
        var first = FactoryPki.SelfSigned(FactoryPki.Spec());
        var second = FactoryPki.SelfSigned(FactoryPki.Spec());

        using var a = X509CertificateLoader.LoadCertificate(first);
        using var b = X509CertificateLoader.LoadCertificate(second);
        Assert.Equal(a.PublicKey.EncodedKeyValue.RawData, b.PublicKey.EncodedKeyValue.RawData);
        Assert.NotEqual(a.SerialNumber, b.SerialNumber);
        Assert.True(new CertificateInspector().KeyMatches(second, FactoryPki.RsaKey));
    }

    [Fact]
    public void CreateSelfSignedForKey_GarbageKey_ThrowsImportException()
    {
        Assert.Throws<CertificateImportException>(() =>
            Factory.CreateSelfSignedForKey(FactoryPki.Spec(), FactoryPki.Now, [0x30, 0x03, 0x02, 0x01, 0x00]));
    }

    [Fact]
    public void CreateCsr_VerifiesAndCarriesSubjectExtensionsAndKey()
    {
        var spec = FactoryPki.Spec(dns: ["cucm8-publisher.bbbburns.lab"]);

        var csr = Factory.CreateCsr(spec, FactoryPki.RsaKey);

        // LoadSigningRequest checks the CSR's self-signature by default.
        var request = CertificateRequest.LoadSigningRequest(
            csr, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        Assert.Equal(
            "CN=CUCM8-Publisher.bbbburns.lab;OU=TAC;O=Cisco;L=RTP;ST=North Carolina;C=US",
            DistinguishedNames.ToCucm(request.SubjectName));
        var eku = Assert.Single(request.CertificateExtensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.Equal([ServerAuth, ClientAuth, IpsecEndSystem], eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        Assert.Single(request.CertificateExtensions.OfType<X509SubjectAlternativeNameExtension>());
        using var key = RSA.Create();
        key.ImportPkcs8PrivateKey(FactoryPki.RsaKey, out _);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), request.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void CreateCsr_EcKey_VerifiesWithOpenSsl()
    {
        var openssl = Requirements.Tool("openssl");
        var key = Factory.CreateSelfSigned(FactoryPki.Spec() with { Key = KeyAlgorithm.EcP384 }, FactoryPki.Now).PrivateKeyPkcs8;
        var csr = Factory.CreateCsr(FactoryPki.Spec(), key);
        var path = Path.Combine(Path.GetTempPath(), $"sbd-csr-{Guid.NewGuid():N}.der");
        File.WriteAllBytes(path, csr);
        try
        {
            var (exit, output) = OpenSsl.Run(openssl, "req", "-inform", "DER", "-in", path, "-verify", "-noout", "-subject");

            Assert.True(exit == 0, output);
            Assert.Contains("verif", output, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("CN = CUCM8-Publisher.bbbburns.lab, OU = TAC, O = Cisco", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static bool BuildChain(X509Certificate2 leaf, X509Certificate2[] roots, X509Certificate2[] extra)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = FactoryPki.Now.AddDays(1).UtcDateTime;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.ExtraStore.AddRange(extra);
        return chain.Build(leaf);
    }
}
