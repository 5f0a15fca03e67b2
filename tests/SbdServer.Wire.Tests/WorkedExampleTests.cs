using SbdServer.Crypto.Signing;
using SbdServer.Crypto.Verification;
using SbdServer.Testing;
using SbdServer.Wire.Itl;
using Xunit;

namespace SbdServer.Wire.Tests;

/// <summary>The seed's <c>show itl</c> arithmetic (formats.md "Worked example") with certificates of its shape.</summary>
public sealed class WorkedExampleTests
{
    [Fact]
    public void Itl_of_the_seed_shape_has_header_296_and_records_by_the_formula()
    {
        using var ca = TestPki.SelfSigned(TestPki.Name("JASBURNS-AD", null, null, null, null, null), 2048, 16, "ca");
        using var callManager = TestPki.Issued(TestPki.Name("CUCM8-Publisher.bbbburns.lab"), 1024, ca, 10, "cm");
        using var tvs = TestPki.SelfSigned(TestPki.Name("CUCM8-Publisher.bbbburns.lab"), 2048, 8, "tvs");
        using var capf = TestPki.SelfSigned(TestPki.Name("CAPF-9c4cba7d"), 1024, 8, "capf");
        using var signer = RsaFileSigner.FromCertificate(callManager);
        var records = new[]
        {
            TrustListRecordFactory.FromCertificate(callManager, TrustRole.Sast),
            TrustListRecordFactory.FromCertificate(callManager, TrustRole.CcmTftp),
            TrustListRecordFactory.FromCertificate(tvs, TrustRole.Tvs),
            TrustListRecordFactory.FromCertificate(capf, TrustRole.Capf),
        };

        var bytes = TrustListCodec.Build(new TrustListBuildOptions { Timestamp = 1_300_000_000 }, records, signer);
        var list = TrustListCodec.Parse(bytes);

        Assert.Equal(76, records[0].SubjectName.Length + 1);
        Assert.Equal(61, records[3].SubjectName.Length + 1);
        Assert.Equal(296, list.Header.HeaderLength);
        Assert.Equal(110, list.Header.SignerInfoLength);
        Assert.Null(list.Header.SignerVersion);

        var der = callManager.RawData.Length;
        var sast = 5 + (3 + 2) + (3 + 76) + (3 + 2) + (3 + 15) + (3 + 10) + (3 + 140) + (3 + 256) + (3 + der);
        Assert.Equal(1972, sast - der + 1442);
        Assert.Equal(sast, list.Records[0].RecordLength);
        Assert.Equal(sast, list.Records[1].RecordLength);
        Assert.Equal(743, list.Records[2].RecordLength);
        Assert.Equal(455, list.Records[3].RecordLength);
        Assert.Equal(296 + (2 * sast) + 743 + 455, bytes.Length);
        if (der == 1442)
        {
            Assert.Equal(5438, bytes.Length);
        }

        var result = SignedFileVerifier.VerifyTrustList(list);
        Assert.True(result.IsValid, result.Message);
        Assert.Equal(0, result.SignerRecordIndex);
    }
}
