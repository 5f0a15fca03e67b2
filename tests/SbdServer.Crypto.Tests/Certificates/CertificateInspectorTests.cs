using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Core.Certificates;
using SbdServer.Crypto.Certificates;
using SbdServer.Testing;
using SbdServer.Wire.Dn;
using Xunit;

namespace SbdServer.Crypto.Tests.Certificates;

public class CertificateInspectorTests
{
    private readonly CertificateInspector _inspector = new();
    private readonly CertificateCodec _codec = new();

    [Theory]
    [InlineData("callmanager.pem", "8A20A1B9CFE646459C5F5B406057875F", "83d53bd410d191246931194447bf8d6938a52eb2",
        "CN=CUCM8-Publisher.lab.example;O=Cisco;OU=TAC;L=RTP;ST=North Carolina;C=US", "RSA", 2048)]
    [InlineData("capf.pem", "2F8A6AF9B586D31917317EEF732DB858", "a9cda603e24ca90c73321b6fd364ea0b5dc273c8",
        "CN=CAPF-9c4cba7d;O=Cisco;OU=TAC;C=US", "RSA", 2048)]
    [InlineData("tvs-sub1.pem", "07521A0213CCC23217D702C5EFF1C3C0", "fcf2fcd945d53ee9a887a49d5ea03c7c492fe5af",
        "CN=CUCM8-Sub1.lab.example;O=Cisco;OU=TAC;C=US", "RSA", 2048)]
    [InlineData("phone-ec.pem", "3B03E0DD70F49B537748A06720DC6DE6", "1b39c7624f129a60951517592eb0836616bbec2f",
        "CN=phone-ec;O=Cisco;OU=Phone;C=US", "EC", 384)]
    public void Inspect_Vector_MatchesOpenSslFacts(
        string file, string serial, string sha1, string subject, string algorithm, int bits)
    {
        var pem = File.ReadAllBytes(SharedFiles.Require($"vectors/certs/{file}"));
        var bundle = _codec.ReadBundle(pem, requireKey: true);

        var facts = _inspector.Inspect(bundle.CertificateDer);

        Assert.Equal(serial, facts.SerialNumber);
        Assert.Equal(sha1, facts.Sha1);
        Assert.Equal(subject, facts.Subject);
        Assert.Equal(subject, facts.Issuer);
        Assert.Equal(algorithm, facts.PublicKeyAlgorithm);
        Assert.Equal(bits, facts.KeySizeBits);
        Assert.True(facts.IsSelfSigned);
        Assert.True(facts.IsCertificateAuthority);
        Assert.False(facts.IsWildcard);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero), facts.NotBefore);
        Assert.Equal(new DateTimeOffset(2036, 11, 27, 0, 0, 0, TimeSpan.Zero), facts.NotAfter);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bundle.CertificateDer)), facts.Sha256);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(bundle.CertificateDer)), facts.Md5);
    }

    [Fact]
    public void Inspect_FingerprintsAndSerial_AgreeWithOpenSsl()
    {
        var openssl = Requirements.Tool("openssl");
        var der = FactoryPki.SelfSigned(FactoryPki.Spec(serialBytes: 10));
        var path = Path.Combine(Path.GetTempPath(), $"sbd-facts-{Guid.NewGuid():N}.der");
        File.WriteAllBytes(path, der);
        try
        {
            var (exit, output) = OpenSsl.Run(
                openssl, "x509", "-inform", "DER", "-in", path, "-noout", "-serial", "-fingerprint", "-sha256");
            Assert.Equal(0, exit);

            var facts = _inspector.Inspect(der);
            Assert.Contains($"serial={facts.SerialNumber}", output, StringComparison.Ordinal);
            var fingerprint = string.Join(':', Convert.FromHexString(facts.Sha256).Select(b => b.ToString("X2")));
            Assert.Contains(fingerprint, output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("*.lab.example", null)]
    [InlineData("cucm.lab.example", "*.lab.example")]
    [InlineData("cucm.lab.example", "cucm*.lab.example")]
    public void Inspect_Wildcard_IsFlagged(string commonName, string? dns)
    {
        var der = FactoryPki.SelfSigned(FactoryPki.Spec(commonName: commonName, dns: dns is null ? null : ["ok.lab", dns]));

        Assert.True(_inspector.Inspect(der).IsWildcard);
    }

    [Fact]
    public void Inspect_IssuedCertificate_IsNotSelfSignedAndAuthorityIsCa()
    {
        Assert.True(_inspector.Inspect(FactoryPki.Intermediate.CertificateDer).IsCertificateAuthority);
        Assert.False(_inspector.Inspect(FactoryPki.Intermediate.CertificateDer).IsSelfSigned);
        Assert.Equal("CN=Issuing CA;OU=PKI;O=Lab", _inspector.Inspect(FactoryPki.Intermediate.CertificateDer).Subject);
    }

    [Fact]
    public void Inspect_SubjectEqualIssuerButForeignSignature_IsNotSelfSigned()
    {
        // Same name as the root, signed by the root's key, but carrying another key: not self-signed.
        var spec = new CertificateSpec(new SubjectName("JASBURNS-AD"), KeyAlgorithm.EcP256);
        var der = FactoryPki.Factory.CreateSigned(spec, FactoryPki.Now, FactoryPki.Root).CertificateDer;

        Assert.False(_inspector.Inspect(der).IsSelfSigned);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x30, 0x82, 0xFF, 0xFF, 0x00 })]
    [InlineData(new byte[] { 0x01, 0x02, 0x03 })]
    public void Inspect_Garbage_ThrowsImportException(byte[] input)
    {
        Assert.Throws<CertificateImportException>(() => _inspector.Inspect(input));
    }

    [Fact]
    public void Inspect_TrailingBytes_ThrowsImportException()
    {
        var der = FactoryPki.SelfSigned(FactoryPki.Spec());

        var ex = Assert.Throws<CertificateImportException>(() => _inspector.Inspect([.. der, 0x00]));
        Assert.Contains("1 bytes after", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_SerialWithSignByte_IsShownUnsigned()
    {
        Assert.Equal("8A20", CertificateInspector.UnsignedSerialHex([0x00, 0x8A, 0x20]));
        Assert.Equal("00", CertificateInspector.UnsignedSerialHex([0x00]));
        Assert.Equal("7F", CertificateInspector.UnsignedSerialHex([0x7F]));
    }

    [Fact]
    public void KeyMatches_OtherKey_IsFalse()
    {
        Assert.True(_inspector.KeyMatches(FactoryPki.Root.CertificateDer, FactoryPki.Root.PrivateKeyPkcs8));
        Assert.False(_inspector.KeyMatches(FactoryPki.Root.CertificateDer, FactoryPki.RsaKey));
        Assert.False(_inspector.KeyMatches(FactoryPki.Root.CertificateDer, FactoryPki.Intermediate.PrivateKeyPkcs8));
    }

    [Fact]
    public void CucmDn_MultiValuedRdnAndOtherAttributes_AreFormatted()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSetOf())
            {
                WriteAttribute(writer, "2.5.4.3", "host");
                WriteAttribute(writer, "2.5.4.5", "PID:CP-8861 SN:FCH1234");
            }

            using (writer.PushSetOf())
            {
                WriteAttribute(writer, "1.2.3.4", "x");
            }
        }

        var formatted = DistinguishedNames.ToCucm(new X500DistinguishedName(writer.Encode()));

        Assert.Equal("CN=host+serialNumber=PID:CP-8861 SN:FCH1234;1.2.3.4=x", formatted);
    }

    private static void WriteAttribute(AsnWriter writer, string oid, string value)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            writer.WriteCharacterString(UniversalTagNumber.UTF8String, value);
        }
    }

    [Fact]
    public void InspectCsr_ReadsSubjectKeyAndSans_AndMatchesOnlyItsOwnKey()
    {
        var ecKey = FactoryPki.Factory.CreateSelfSigned(FactoryPki.Spec() with { Key = KeyAlgorithm.EcP256 }, FactoryPki.Now).PrivateKeyPkcs8;
        var csr = FactoryPki.Factory.CreateCsr(FactoryPki.Spec(dns: ["cucm8-publisher.bbbburns.lab", "ms.bbbburns.lab"]), ecKey);

        var facts = _inspector.InspectCsr(csr);

        Assert.Equal("CN=CUCM8-Publisher.bbbburns.lab;OU=TAC;O=Cisco;L=RTP;ST=North Carolina;C=US", facts.Subject);
        Assert.Equal("EC 256", facts.KeyType);
        Assert.Equal<string>(["cucm8-publisher.bbbburns.lab", "ms.bbbburns.lab"], facts.DnsNames);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(csr)), facts.Sha256);
        Assert.True(_inspector.CsrKeyMatches(csr, ecKey));
        Assert.False(_inspector.CsrKeyMatches(csr, FactoryPki.RsaKey));
    }

    [Fact]
    public void InspectCsr_GarbageTrailingBytesOrABrokenSignature_IsRefusedWithAReason()
    {
        var csr = FactoryPki.Factory.CreateCsr(FactoryPki.Spec(), FactoryPki.RsaKey);
        var broken = (byte[])csr.Clone();
        broken[^5] ^= 0xFF;

        Assert.Throws<CertificateImportException>(() => _inspector.InspectCsr("not a csr"u8));
        var trailing = Assert.Throws<CertificateImportException>(() => _inspector.InspectCsr([.. csr, 0x00]));
        Assert.Contains("after its DER structure", trailing.Message, StringComparison.Ordinal);
        var signature = Assert.Throws<CertificateImportException>(() => _inspector.InspectCsr(broken));
        Assert.Contains("good signature", signature.Message, StringComparison.Ordinal);
        Assert.Throws<CertificateImportException>(() => _inspector.CsrKeyMatches(broken, FactoryPki.RsaKey));
    }
}
