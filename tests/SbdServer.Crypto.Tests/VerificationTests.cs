using SbdServer.Crypto.Signing;
using SbdServer.Crypto.Verification;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Sgn;
using SbdServer.Wire.Signed;
using Xunit;

namespace SbdServer.Crypto.Tests;

public sealed class VerificationTests
{
    [Fact]
    public void Sgn_verifies_only_with_its_signer_and_only_untampered()
    {
        using var signerCertificate = Testing.TestPki.Rsa("cucm.example");
        using var stranger = Testing.TestPki.Rsa("stranger", 2048, "b");
        using var signer = RsaFileSigner.FromCertificate(signerCertificate);
        var bytes = SgnCodec.Build("<device/>"u8, "SEP1.cnf.xml.sgn", HashAlgorithmCode.Sha1, 1, signer);

        Assert.True(SignedFileVerifier.Verify(SgnCodec.Parse(bytes), signerCertificate).IsValid);
        var wrong = SignedFileVerifier.Verify(SgnCodec.Parse(bytes), stranger);
        Assert.False(wrong.IsValid);
        Assert.Contains("not by the given certificate", wrong.Message, StringComparison.Ordinal);

        bytes[^2] ^= 0x20;
        var tampered = SignedFileVerifier.Verify(SgnCodec.Parse(bytes), signerCertificate);
        Assert.False(tampered.IsValid);
        Assert.Contains("does not verify", tampered.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trust_list_signer_is_the_sast_record_with_the_header_serial_and_issuer()
    {
        using var first = Testing.TestPki.Rsa("first");
        using var second = Testing.TestPki.Rsa("second", 2048, "b");
        using var signer = RsaFileSigner.FromCertificate(second);
        var records = new[]
        {
            TrustListRecordFactory.FromCertificate(first, TrustRole.Sast),
            TrustListRecordFactory.FromCertificate(second, TrustRole.Tftp),
            TrustListRecordFactory.FromCertificate(second, TrustRole.Sast),
        };
        var list = TrustListCodec.Parse(TrustListCodec.Build(new TrustListBuildOptions { Timestamp = 1 }, records, signer));

        var result = SignedFileVerifier.VerifyTrustList(list);
        Assert.True(result.IsValid, result.Message);
        Assert.Equal(2, result.SignerRecordIndex);
    }

    [Fact]
    public void Trust_list_without_a_matching_sast_record_fails_with_a_reason()
    {
        using var signerCertificate = Testing.TestPki.Rsa("signer");
        using var other = Testing.TestPki.Rsa("other", 2048, "b");
        using var signer = RsaFileSigner.FromCertificate(signerCertificate);
        var records = new[]
        {
            TrustListRecordFactory.FromCertificate(other, TrustRole.Sast),
            TrustListRecordFactory.FromCertificate(signerCertificate, TrustRole.CcmTftp),
        };
        var list = TrustListCodec.Parse(TrustListCodec.Build(new TrustListBuildOptions { Timestamp = 1 }, records, signer));

        var result = SignedFileVerifier.VerifyTrustList(list);
        Assert.False(result.IsValid);
        Assert.Null(result.SignerRecordIndex);
        Assert.Contains("No SAST record", result.Message, StringComparison.Ordinal);
    }
}
