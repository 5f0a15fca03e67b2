using System.Buffers.Binary;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Signed;
using SbdServer.Wire.Tlv;
using Xunit;

namespace SbdServer.Wire.Tests;

/// <summary>One test per rule of the header and record parsers, on bytes edited from a valid file.</summary>
public sealed class MalformedHeaderTests
{
    private static readonly SignerIdentity Identity = new("CN=A", [0x01, 0x02], "CN=B", 512);

    // Layout of Valid(): VERSION 0, HEADERLENGTH 5, SIGNERID 10 (children 13, 21, 26), SIGNATUREINFO 34,
    // SIGNATURE 52, FILENAME 119, TIMESTAMP 124, PADDING 131, body 132.
    private static byte[] Valid() => SignedFileCodec.Build(
        new SignedHeaderOptions { Version = FileVersion.Signed, FileName = "F", Timestamp = 7 }, new FakeSigner(Identity),
        "XY"u8);

    [Fact]
    public void Header_length_not_a_multiple_of_4_is_rejected() =>
        Reject(b => BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(8), 130), "not a multiple of 4");

    [Fact]
    public void Duplicate_header_tag_is_rejected() => Reject(b => b[124] = HeaderTag.FileName, "appears twice");

    [Fact]
    public void Unknown_header_tag_is_rejected() => Reject(b => b[124] = 40, "unknown header tag 40");

    [Fact]
    public void Tag_after_padding_is_rejected()
    {
        var file = Valid();
        byte[] moved = [.. file[..119], HeaderTag.Padding, .. file[119..131], .. file[132..]];
        var error = Assert.Throws<WireFormatException>(() => SignedFileCodec.Parse(moved));
        Assert.Contains("follows header padding", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Signature_length_must_match_the_modulus() =>
        Reject(b => b[51] = 2, "SIGNATUREMODULUS says a 2048-bit key");

    [Fact]
    public void Non_rsa_signature_algorithm_is_rejected() => Reject(b => b[47] = 1, "is not 0 (RSA)");

    [Fact]
    public void Unknown_hash_code_is_rejected() => Reject(b => b[40] = 9, "code 9");

    [Fact]
    public void Missing_signer_child_is_rejected() => Reject(b => b[21] = HeaderTag.SignerName, "unexpected or repeated tag 4");

    [Fact]
    public void Encryption_tags_in_a_1_x_header_are_rejected() =>
        Reject(b => b[124] = HeaderTag.EncryptionHash, "encryption tags");

    [Fact]
    public void Version_2_without_encryption_tags_is_rejected() => Reject(b => b[3] = 2, "needs the encryption tags");

    [Fact]
    public void Records_with_unknown_or_repeated_tags_or_missing_fields_are_rejected()
    {
        var record = new TrustListRecord
        {
            SubjectName = "CN=S",
            Role = TrustRole.Sast,
            IssuerName = "CN=I",
            SerialNumber = [0x07],
            PublicKey = [0x30],
            CertificateSignature = [0x5A],
        };
        var file = TrustListCodec.Build(new TrustListBuildOptions { Timestamp = 1 }, [record], new FakeSigner(Identity));
        var recordStart = SignedFileCodec.Parse(file).Header.HeaderLength;
        var dnsTag = recordStart + 5;

        Assert.Contains("unknown record tag 13", RejectList(file, b => b[dnsTag] = 13), StringComparison.Ordinal);
        Assert.Contains("appears twice", RejectList(file, b => b[dnsTag] = RecordTag.SubjectName),
            StringComparison.Ordinal);
        Assert.Contains("are required", RejectList(file, b => b[dnsTag + 5] = RecordTag.IpAddress), StringComparison.Ordinal);
        Assert.Contains("RECORDLENGTH", RejectList(file, b => b[recordStart + 4] = 0xFF), StringComparison.Ordinal);
        Assert.Contains("RECORDLENGTH", RejectList(file, b => b[recordStart + 4] = 0), StringComparison.Ordinal);
    }

    [Fact]
    public void Builder_refuses_too_many_records()
    {
        var record = new TrustListRecord
        {
            SubjectName = "CN=S",
            Role = TrustRole.Tvs,
            IssuerName = "CN=I",
            SerialNumber = [0x07],
            PublicKey = [0x30],
            CertificateSignature = [0x5A],
        };
        var records = Enumerable.Repeat(record, WireLimits.MaxTrustListRecords + 1).ToList();
        Assert.Throws<ArgumentException>(() =>
            TrustListCodec.Build(new TrustListBuildOptions { Timestamp = 1 }, records, new FakeSigner(Identity)));
    }

    private static void Reject(Action<byte[]> edit, string fragment)
    {
        var file = Valid();
        edit(file);
        var error = Assert.Throws<WireFormatException>(() => SignedFileCodec.Parse(file));
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    private static string RejectList(byte[] valid, Action<byte[]> edit)
    {
        var file = (byte[])valid.Clone();
        edit(file);
        return Assert.Throws<WireFormatException>(() => TrustListCodec.Parse(file)).Message;
    }
}
