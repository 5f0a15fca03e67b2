using SbdServer.Crypto.Verification;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Sgn;
using SbdServer.Wire.Tlv;
using Xunit;

namespace SbdServer.Wire.Tests;

public sealed class NegativeVectorTests
{
    public static TheoryData<string> StructurallyBroken() =>
    [
        "empty.tlv", "header-length-too-big.tlv", "not-a-tlv.tlv", "truncated-ITLFile.tlv", "unknown-header-tag.tlv",
    ];

    // These two overwrite bytes inside the first record (its SUBJECTNAME text, despite their names): the layout
    // stays valid, so they must be rejected by the signature check.
    public static TheoryData<string> ContentBroken() => ["record-length-overflow.tlv", "record-length-zero.tlv"];

    [Theory]
    [MemberData(nameof(StructurallyBroken))]
    public void Malformed_trust_list_is_rejected_by_the_parser_with_a_clear_message(string name)
    {
        var bytes = Vectors.Bytes(Path.Combine("negative", name));
        var error = Assert.Throws<WireFormatException>(() => TrustListCodec.Parse(bytes));
        Assert.StartsWith("Trust list", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("CUCM8", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ContentBroken))]
    public void Altered_trust_list_is_rejected_by_verification(string name)
    {
        var list = TrustListCodec.Parse(Vectors.Bytes(Path.Combine("negative", name)));
        var result = SignedFileVerifier.VerifyTrustList(list);
        Assert.False(result.IsValid);
        Assert.Contains("does not verify", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_negative_vector_is_covered()
    {
        var all = Directory.GetFiles(Vectors.Path("negative")).Select(Path.GetFileName).Order().ToArray();
        var covered = StructurallyBroken().Concat(ContentBroken()).Select(row => (string)row.Data)
            .Append("payload-bitflip.cnf.xml.sgn").Order().ToArray();
        Assert.Equal(covered, all);
    }

    [Fact]
    public void Payload_bit_flip_parses_but_fails_verification()
    {
        var signed = SgnCodec.Parse(Vectors.Bytes("negative/payload-bitflip.cnf.xml.sgn"));
        var result = SignedFileVerifier.Verify(signed, Vectors.Certificate("callmanager.pem"));
        Assert.False(result.IsValid);
        Assert.Contains("does not verify", result.Message, StringComparison.Ordinal);
    }
}
