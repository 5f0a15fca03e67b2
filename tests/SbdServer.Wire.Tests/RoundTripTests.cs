using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Crypto.Signing;
using SbdServer.Crypto.Verification;
using SbdServer.Testing;
using SbdServer.Wire.Dn;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Sgn;
using SbdServer.Wire.Signed;
using Xunit;

namespace SbdServer.Wire.Tests;

public sealed class RoundTripTests
{
    public static TheoryData<int, HashAlgorithmCode> KeysAndDigests()
    {
        var data = new TheoryData<int, HashAlgorithmCode>();
        foreach (var bits in new[] { 1024, 2048, 4096 })
        {
            foreach (var hash in new[] { HashAlgorithmCode.Sha1, HashAlgorithmCode.Sha256, HashAlgorithmCode.Sha512 })
            {
                data.Add(bits, hash);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KeysAndDigests))]
    public void Itl_with_every_record_type_builds_parses_and_verifies(int bits, HashAlgorithmCode hash)
    {
        using var signerCertificate = TestPki.SelfSigned(TestPki.Name("cucm.example"), bits, 16, "signer");
        using var other = TestPki.SelfSigned(TestPki.Name("other.example"), 2048, 8, "other");
        using var signer = RsaFileSigner.FromCertificate(signerCertificate);
        var roles = new[]
        {
            TrustRole.Ccm, TrustRole.CcmTftp, TrustRole.Tftp, TrustRole.Tvs, TrustRole.Capf, TrustRole.AppServer,
            TrustRole.Srst,
        };
        var records = new List<TrustListRecord> { TrustListRecordFactory.FromCertificate(signerCertificate, TrustRole.Sast) };
        records.AddRange(roles.Select(role => TrustListRecordFactory.FromCertificate(other, role)));
        var options = new TrustListBuildOptions { HashAlgorithm = hash, Timestamp = 1_800_000_000 };

        var bytes = TrustListCodec.Build(options, records, signer);
        var list = TrustListCodec.Parse(bytes);

        Assert.Equal(bytes.Length, list.Header.HeaderLength + list.Records.Sum(r => r.RecordLength));
        Assert.Equal(hash, list.Header.HashAlgorithm);
        Assert.Equal(bits, list.Header.KeySizeBits);
        Assert.Equal("ITLFile.tlv", list.Header.FileName);
        Assert.Equal([TrustRole.Sast, .. roles], list.Records.Select(r => r.Role!.Value));
        for (var i = 0; i < records.Count; i++)
        {
            var record = list.Records[i];
            Assert.Equal(TrustListCodec.RecordLength(records[i]), record.RecordLength);
            var certificate = i == 0 ? signerCertificate : other;
            if (record.Role is TrustRole.Tvs or TrustRole.Capf)
            {
                Assert.Null(record.Certificate);
                Assert.Equal(SHA1.HashData(certificate.RawData), record.CertificateHash);
                Assert.Equal((byte)1, record.CertificateHashAlgorithm);
            }
            else
            {
                Assert.Equal(certificate.RawData, record.Certificate);
                Assert.Null(record.CertificateHash);
            }

            Assert.Equal(DistinguishedNames.ToCucm(certificate.SubjectName), record.SubjectName);
            Assert.Equal(certificate.PublicKey.EncodedKeyValue.RawData, record.PublicKey);
            Assert.Equal("", record.DnsName);
        }

        var result = SignedFileVerifier.VerifyTrustList(list);
        Assert.True(result.IsValid, result.Message);
        Assert.Equal(0, result.SignerRecordIndex);
        Assert.True(SignedFileVerifier.Verify(list.Signed, signerCertificate).IsValid);

        bytes[^1] ^= 0x01;
        Assert.False(SignedFileVerifier.VerifyTrustList(TrustListCodec.Parse(bytes)).IsValid);
    }

    [Theory]
    [MemberData(nameof(KeysAndDigests))]
    public void Sgn_builds_parses_verifies_and_strips(int bits, HashAlgorithmCode hash)
    {
        using var signerCertificate = TestPki.SelfSigned(TestPki.Name("cucm.example"), bits, 16, "signer");
        using var signer = RsaFileSigner.FromCertificate(signerCertificate);
        var payload = RandomNumberGenerator.GetBytes(777);

        var bytes = SgnCodec.Build(payload, "SEPAABBCCDDEEFF.cnf.xml.sgn", hash, 42, signer);
        var signed = SgnCodec.Parse(bytes);

        Assert.Equal(FileVersion.Signed, signed.Header.Version);
        Assert.Equal(payload, SgnCodec.Strip(bytes).ToArray());
        Assert.True(SignedFileVerifier.Verify(signed, signerCertificate).IsValid);
    }

    [Theory]
    [InlineData("nistP256")]
    [InlineData("nistP384")]
    public void Ec_records_round_trip_with_signer_version_1_1(string curveName)
    {
        using var signerCertificate = TestPki.SelfSigned(TestPki.Name("cucm.example"), 2048, 16, "signer");
        using var signer = RsaFileSigner.FromCertificate(signerCertificate);
        using var ec = TestPki.EcSelfSigned(TestPki.Name("cucm-ec.example"), ECCurve.CreateFromFriendlyName(curveName));
        var records = new[]
        {
            TrustListRecordFactory.FromCertificate(signerCertificate, TrustRole.Sast),
            TrustListRecordFactory.FromCertificate(ec, TrustRole.Tftp),
            TrustListRecordFactory.FromCertificate(ec, TrustRole.Tvs),
        };

        var list = TrustListCodec.Parse(TrustListCodec.Build(new TrustListBuildOptions { Timestamp = 9 }, records, signer));

        Assert.Equal(FileVersion.SignerWithEc, list.Header.SignerVersion);
        var point = list.Records[1].PublicKey;
        Assert.Equal(0x04, point[0]);
        Assert.Equal(curveName == "nistP256" ? 65 : 97, point.Length);
        Assert.True(list.Records[1].IsEllipticCurve);
        Assert.False(list.Records[0].IsEllipticCurve);
        Assert.Equal(ec.RawData, list.Records[1].Certificate);
        Assert.True(SignedFileVerifier.VerifyTrustList(list).IsValid);
    }

    [Fact]
    public void Ctl_carries_ip_address_and_two_sast_records_and_names_the_signer()
    {
        using var first = TestPki.SelfSigned(TestPki.Name("cucm.example"), 2048, 16, "signer");
        using var second = TestPki.SelfSigned(TestPki.Name("SAST2", l: null, st: null), 2048, 16, "other");
        using var signer = RsaFileSigner.FromCertificate(second);
        var records = new[]
        {
            TrustListRecordFactory.FromCertificate(first, TrustRole.Sast),
            TrustListRecordFactory.FromCertificate(second, TrustRole.Sast),
            TrustListRecordFactory.FromCertificate(first, TrustRole.CcmTftp, "cucm.example", [10, 0, 0, 1]),
        };
        var options = new TrustListBuildOptions { Timestamp = 9, IsCtl = true, FileName = "CTLFile.tlv" };

        var list = TrustListCodec.Parse(TrustListCodec.Build(options, records, signer));

        Assert.True(list.IsCtl);
        Assert.Equal([10, 0, 0, 1], list.Records[2].IpAddress);
        Assert.Equal("cucm.example", list.Records[2].DnsName);
        var result = SignedFileVerifier.VerifyTrustList(list);
        Assert.True(result.IsValid, result.Message);
        Assert.Equal(1, result.SignerRecordIndex);
    }

    [Fact]
    public void Blank_rollback_itl_is_still_signed_and_verifies_through_its_signer_record()
    {
        using var signerCertificate = TestPki.SelfSigned(TestPki.Name("cucm.example"), 2048, 16, "signer");
        using var tvs = TestPki.SelfSigned(TestPki.Name("tvs.example"), 2048, 8, "other");
        using var signer = RsaFileSigner.FromCertificate(signerCertificate);
        var records = new[]
        {
            TrustListRecordFactory.FromCertificate(signerCertificate, TrustRole.Sast),
            TrustListRecordFactory.FromCertificate(tvs, TrustRole.Tvs),
        };

        var list = TrustListCodec.Parse(TrustListCodec.Build(
            new TrustListBuildOptions { Timestamp = 9, Blank = true }, records, signer));

        Assert.True(list.IsBlank);
        var result = SignedFileVerifier.VerifyTrustList(list);
        Assert.True(result.IsValid, result.Message);
        Assert.Equal(0, result.SignerRecordIndex);
    }

    [Fact]
    public void Dn_comparison_accepts_both_separators()
    {
        Assert.True(DistinguishedNames.AreEquivalent("CN=a;OU=TAC;O=Cisco", "CN=a, OU=TAC,O=Cisco"));
        Assert.False(DistinguishedNames.AreEquivalent("CN=a;OU=TAC", "CN=b;OU=TAC"));
        using var certificate = TestPki.SelfSigned(TestPki.Name("cucm.example"), 1024);
        Assert.Equal("CN=cucm.example;OU=TAC;O=Cisco;L=RTP;ST=North Carolina;C=US",
            DistinguishedNames.ToCucm(certificate.SubjectName));
    }

    [Fact]
    public void Serial_has_no_sign_byte()
    {
        using var certificate = TestPki.SelfSigned(TestPki.Name("x"), 1024, 8);
        Assert.Equal(8, CertificateFacts.SerialNumber(certificate).Length);
        var der = X509Certificate2.CreateFromPem(
            File.ReadAllText(Vectors.Path("certs/callmanager.pem")));
        Assert.Equal("8a20a1b9cfe646459c5f5b406057875f", Convert.ToHexStringLower(CertificateFacts.SerialNumber(der)));
    }
}
