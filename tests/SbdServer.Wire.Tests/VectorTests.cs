using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Crypto.Encryption;
using SbdServer.Crypto.Verification;
using SbdServer.Wire.EncSgn;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Sgn;
using SbdServer.Wire.Signed;
using Xunit;

namespace SbdServer.Wire.Tests;

public sealed class VectorTests
{
    [Theory]
    [InlineData("ITLFile.tlv")]
    [InlineData("ITLFile-sha512.tlv")]
    [InlineData("CTLFile.tlv")]
    public void Trust_list_matches_expected_text_and_verifies(string name)
    {
        var expected = ExpectedText.Load(Vectors.Path(Path.ChangeExtension(name, ".expected.txt")));
        var list = TrustListCodec.Parse(Vectors.Bytes(name));

        AssertHeader(expected.Header, list.Header);
        Assert.Equal(new FileVersion(1, 0), list.Header.SignerVersion);
        Assert.Equal(expected.Records.Count, list.Records.Count);
        for (var i = 0; i < list.Records.Count; i++)
        {
            var want = expected.Records[i];
            var record = list.Records[i];
            Assert.Equal(ExpectedText.Bytes(want["Record Length"]), record.RecordLength);
            Assert.Equal(want["Subject Name"], record.SubjectName);
            Assert.Equal(want["Issuer Name"], record.IssuerName);
            Assert.Equal(want["Serial Numer"], Convert.ToHexStringLower(record.SerialNumber));
            Assert.Equal(want["Role"], TrustRoles.DisplayName(record.Role!.Value));
            Assert.Equal(ExpectedText.Bytes(want["Public Key"]), record.PublicKey.Length);
            Assert.Equal(ExpectedText.Bytes(want["Signature"]), record.CertificateSignature.Length);
            Assert.Equal(ExpectedText.Bytes(want["Certificate"]), record.Certificate!.Length);
            Assert.Equal(want["Certificate Hash"], Convert.ToHexStringLower(SHA1.HashData(record.Certificate)));
            Assert.False(record.IsEllipticCurve);
        }

        Assert.Equal("Valid signature", expected.Verdict);
        var result = SignedFileVerifier.VerifyTrustList(list);
        Assert.True(result.IsValid, result.Message);
        Assert.Equal(0, result.SignerRecordIndex);
        Assert.True(SignedFileVerifier.Verify(list.Signed, Vectors.Certificate("callmanager.pem")).IsValid);
        Assert.False(SignedFileVerifier.Verify(list.Signed, Vectors.Certificate("tvs.pem")).IsValid);
    }

    [Theory]
    [InlineData("SEP0011215A1AE3.cnf.xml.sgn")]
    [InlineData("SEP0011215A1AE3.cnf.xml.sha512.sgn")]
    public void Sgn_matches_expected_text_verifies_and_strips_to_the_plain_file(string name)
    {
        var expected = ExpectedText.Load(Vectors.Path(name + ".expected.txt"));
        var bytes = Vectors.Bytes(name);
        var signed = SgnCodec.Parse(bytes);

        AssertHeader(expected.Header, signed.Header);
        Assert.Null(signed.Header.SignerVersion);
        var result = SignedFileVerifier.Verify(signed, Vectors.Certificate("callmanager.pem"));
        Assert.True(result.IsValid, result.Message);
        Assert.Equal(Vectors.Bytes("SEP0011215A1AE3.cnf.xml"), SgnCodec.Strip(bytes).ToArray());
    }

    [Fact]
    public void Enc_sgn_matches_expected_text_verifies_and_decrypts_to_the_plain_file()
    {
        var expected = ExpectedText.Load(Vectors.Path("enc/SEP0011215A1AE3.cnf.xml.enc.sgn.expected.txt"));
        var signed = EncSgnCodec.Parse(Vectors.Bytes("enc/SEP0011215A1AE3.cnf.xml.enc.sgn"));

        AssertHeader(expected.Header, signed.Header);
        var encryption = signed.Header.Encryption!;
        Assert.Equal(ExpectedText.Bytes(expected.Header["Encryption IV"]), encryption.Iv.Length);
        Assert.Equal(ExpectedText.Bytes(expected.Header["Encryption Key"]), encryption.WrappedKey.Length);
        Assert.Equal(expected.Header["Encryption Digest Algorithm"], HashAlgorithms.DisplayName(encryption.HashAlgorithm));
        Assert.Equal(expected.Header["Encryption Digest"], Convert.ToHexStringLower(encryption.PlaintextHash));
        Assert.True(SignedFileVerifier.Verify(signed, Vectors.Certificate("callmanager.pem")).IsValid);

        using var phone = Vectors.Certificate("phone-lsc.pem");
        using var key = phone.GetRSAPrivateKey()!;
        var plain = ConfigEncryptor.Decrypt(signed, key);
        Assert.Equal(Vectors.Bytes("SEP0011215A1AE3.cnf.xml"), plain);
    }

    [Fact]
    public void Enc_stub_verifies_and_carries_the_phone_certificate_md5()
    {
        var signed = SgnCodec.Parse(Vectors.Bytes("enc/SEP0011215A1AE3.cnf.xml.sgn"));
        Assert.True(SignedFileVerifier.Verify(signed, Vectors.Certificate("callmanager.pem")).IsValid);
        var xml = System.Text.Encoding.UTF8.GetString(signed.Body.Span);
        using var phone = Vectors.Certificate("phone-lsc.pem");
        Assert.Contains($"<certHash>{ConfigEncryptor.CertificateHash(phone)}</certHash>", xml, StringComparison.Ordinal);
        Assert.Contains("<encrConfig>true</encrConfig>", xml, StringComparison.Ordinal);
        Assert.Contains("<fullConfig>false</fullConfig>", xml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("callmanager.pem", false)]
    [InlineData("capf.pem", false)]
    [InlineData("itlrecovery.pem", false)]
    [InlineData("phone-ec.pem", true)]
    [InlineData("phone-lsc.pem", false)]
    [InlineData("sast2.pem", false)]
    [InlineData("tomcat.pem", false)]
    [InlineData("tvs-sub1.pem", false)]
    [InlineData("tvs.pem", false)]
    public void Every_vector_certificate_loads_with_its_key_and_makes_a_record(string name, bool isEc)
    {
        Assert.Equal(
            Directory.GetFiles(Vectors.Path("certs")).Select(Path.GetFileName).Order(),
            ["callmanager.pem", "capf.pem", "itlrecovery.pem", "phone-ec.pem", "phone-lsc.pem", "sast2.pem",
                "tomcat.pem", "tvs-sub1.pem", "tvs.pem"]);
        using var certificate = Vectors.Certificate(name);
        Assert.True(certificate.HasPrivateKey);
        var record = TrustListRecordFactory.FromCertificate(certificate, TrustRole.AppServer);
        Assert.Equal(isEc, record.IsEllipticCurve);
        Assert.Equal(isEc ? 97 : 270, record.PublicKey.Length);
        Assert.Equal(certificate.RawData, record.Certificate);
    }

    private static void AssertHeader(Dictionary<string, string> want, SignedHeader header)
    {
        Assert.Equal(want["Version"], header.Version.ToString());
        Assert.Equal(ExpectedText.Bytes(want["Header Length"]), header.HeaderLength);
        if (want.TryGetValue("Signer Version", out var signerVersion))
        {
            Assert.Equal(signerVersion, header.SignerVersion?.ToString());
        }

        Assert.Equal(want["Signer Name"], header.SignerName);
        Assert.Equal(want["Issuer Name"], header.IssuerName);
        Assert.Equal(want["Serial Number"], Convert.ToHexStringLower(header.SerialNumber));
        Assert.Equal(want["Digest Algorithm"], HashAlgorithms.DisplayName(header.HashAlgorithm));
        Assert.Equal(ExpectedText.Bytes(want["Signature"]), header.Signature.Length);
        Assert.Equal(want["Filename"], header.FileName);
        var time = DateTimeOffset.FromUnixTimeSeconds(header.Timestamp!.Value);
        Assert.Equal(want["Timestamp"], time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
    }
}
