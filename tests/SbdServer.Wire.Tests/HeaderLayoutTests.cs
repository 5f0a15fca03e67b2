using SbdServer.Wire.Itl;
using SbdServer.Wire.Signed;
using SbdServer.Wire.Tlv;
using Xunit;

namespace SbdServer.Wire.Tests;

public sealed class HeaderLayoutTests
{
    private static readonly SignerIdentity Identity = new("CN=A", [0x01, 0x02], "CN=B", 512);

    [Fact]
    public void Header_is_written_in_cucm_order_with_padding_and_the_signature_after_the_modulus()
    {
        var signer = new FakeSigner(Identity);
        var options = new SignedHeaderOptions
        {
            Version = FileVersion.Signed,
            FileName = "F",
            Timestamp = 0x01020304,
        };

        var file = SignedFileCodec.Build(options, signer, "XY"u8);

        byte[] prefix =
        [
            0x01, 0x00, 0x02, 0x01, 0x00,
            0x02, 0x00, 0x02, 0x00, 0x84,
            0x03, 0x00, 0x15,
            0x04, 0x00, 0x05, (byte)'C', (byte)'N', (byte)'=', (byte)'A', 0x00,
            0x05, 0x00, 0x02, 0x01, 0x02,
            0x06, 0x00, 0x05, (byte)'C', (byte)'N', (byte)'=', (byte)'B', 0x00,
            0x07, 0x00, 0x0F, 0x08, 0x00, 0x01, 0x01, 0x09, 0x00, 0x08, 0x0A, 0x00, 0x01, 0x00, 0x0B, 0x00, 0x01, 0x00,
        ];
        byte[] signature = [0x0C, 0x00, 0x40, .. Enumerable.Repeat((byte)0xAB, 64)];
        byte[] tail =
        [
            0x0E, 0x00, 0x02, (byte)'F', 0x00,
            0x0F, 0x00, 0x04, 0x01, 0x02, 0x03, 0x04,
            0x0D,
            (byte)'X', (byte)'Y',
        ];
        Assert.Equal([.. prefix, .. signature, .. tail], file);
        Assert.Equal([.. prefix, .. tail], signer.LastSigned!);
        Assert.Equal(HashAlgorithmCode.Sha1, signer.LastHash);
        Assert.Equal(132, SignedFileCodec.HeaderLength(options, Identity));
    }

    [Fact]
    public void Parse_returns_every_field_and_the_signed_bytes()
    {
        var signer = new FakeSigner(Identity);
        var options = new SignedHeaderOptions
        {
            Version = FileVersion.Signed,
            HashAlgorithm = HashAlgorithmCode.Sha512,
            FileName = "SEP0011215A1AE3.cnf.xml.sgn",
            Timestamp = 1_700_000_000,
        };
        var file = SignedFileCodec.Build(options, signer, "<device/>"u8);

        var parsed = SignedFileCodec.Parse(file);
        var header = parsed.Header;
        Assert.Equal(FileVersion.Signed, header.Version);
        Assert.Equal(0, header.HeaderLength % 4);
        Assert.Null(header.SignerVersion);
        Assert.Equal("CN=A", header.SignerName);
        Assert.Equal([0x01, 0x02], header.SerialNumber);
        Assert.Equal("CN=B", header.IssuerName);
        Assert.Equal(21, header.SignerInfoLength);
        Assert.Equal(HashAlgorithmCode.Sha512, header.HashAlgorithm);
        Assert.Equal(512, header.KeySizeBits);
        Assert.Equal("SEP0011215A1AE3.cnf.xml.sgn", header.FileName);
        Assert.Equal(1_700_000_000u, header.Timestamp);
        Assert.Equal("<device/>"u8.ToArray(), parsed.Body.ToArray());
        Assert.Equal(signer.LastSigned, parsed.SignedBytes);
    }

    [Fact]
    public void Signer_info_children_are_accepted_in_any_order()
    {
        var file = SignedFileCodec.Build(
            new SignedHeaderOptions { Version = FileVersion.Signed, Timestamp = 1 }, new FakeSigner(Identity), "Z"u8);

        // Swap SERIALNUMBER (5) and CANAME (6) inside SIGNERID, as the independent vectors write them.
        byte[] serial = file[21..26];
        byte[] issuer = file[26..34];
        byte[] swapped = [.. file[..21], .. issuer, .. serial, .. file[34..]];

        var header = SignedFileCodec.Parse(swapped).Header;
        Assert.Equal([0x01, 0x02], header.SerialNumber);
        Assert.Equal("CN=B", header.IssuerName);
    }

    [Fact]
    public void Ec_records_add_signer_version_1_1_and_rsa_only_lists_have_no_tag_28()
    {
        var rsaRecord = Record([0x30, 0x82]);
        var ecRecord = Record([0x04, 0x01, 0x02]);
        var options = new TrustListBuildOptions { Timestamp = 5 };

        var rsaOnly = TrustListCodec.Parse(TrustListCodec.Build(options, [rsaRecord], new FakeSigner(Identity)));
        var withEc = TrustListCodec.Parse(
            TrustListCodec.Build(options, [rsaRecord, ecRecord], new FakeSigner(Identity)));

        Assert.Null(rsaOnly.Header.SignerVersion);
        Assert.Equal(FileVersion.SignerWithEc, withEc.Header.SignerVersion);
        Assert.True(withEc.Records[1].IsEllipticCurve);
    }

    [Fact]
    public void Record_bytes_follow_cucm_order_with_a_two_byte_empty_dns_name()
    {
        var record = Record([0x30]) with { Role = TrustRole.Tvs, CertificateHash = [0xEE], CertificateHashAlgorithm = 1 };
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        TrustListCodec.WriteRecord(new TlvWriter(buffer), record);

        byte[] expected =
        [
            0x01, 0x00, 0x02, 0x00, 0x33,
            0x02, 0x00, 0x02, 0x00, 0x00,
            0x03, 0x00, 0x05, (byte)'C', (byte)'N', (byte)'=', (byte)'S', 0x00,
            0x04, 0x00, 0x02, 0x00, 0x15,
            0x05, 0x00, 0x05, (byte)'C', (byte)'N', (byte)'=', (byte)'I', 0x00,
            0x06, 0x00, 0x01, 0x07,
            0x07, 0x00, 0x01, 0x30,
            0x08, 0x00, 0x01, 0x5A,
            0x0B, 0x00, 0x01, 0xEE,
            0x0C, 0x00, 0x01, 0x01,
        ];
        Assert.Equal(expected, buffer.WrittenSpan.ToArray());
        Assert.Equal(expected.Length, TrustListCodec.RecordLength(record));
    }

    [Fact]
    public void Blank_list_writes_empty_function_values_and_parses_them_as_no_role()
    {
        var options = new TrustListBuildOptions { Timestamp = 5, Blank = true };
        var bytes = TrustListCodec.Build(options, [Record([0x30]), Record([0x30]) with { Role = TrustRole.Tvs }],
            new FakeSigner(Identity));
        var list = TrustListCodec.Parse(bytes);

        Assert.True(list.IsBlank);
        Assert.All(list.Records, r => Assert.Null(r.Role));
        var functionAt = list.Records[0].Offset + 5 + 5 + 8;
        Assert.Equal([0x04, 0x00, 0x00], bytes[functionAt..(functionAt + 3)]);
    }

    [Fact]
    public void Ctl_with_three_sast_records_is_refused()
    {
        var options = new TrustListBuildOptions { Timestamp = 5, IsCtl = true, FileName = "CTLFile.tlv" };
        var sast = Record([0x30]) with { Role = TrustRole.Sast };
        var error = Assert.Throws<ArgumentException>(() =>
            TrustListCodec.Build(options, [sast, sast, sast], new FakeSigner(Identity)));
        Assert.Contains("at most 2 SAST", error.Message, StringComparison.Ordinal);
    }

    private static TrustListRecord Record(byte[] publicKey) => new()
    {
        SubjectName = "CN=S",
        Role = TrustRole.Sast,
        IssuerName = "CN=I",
        SerialNumber = [0x07],
        PublicKey = publicKey,
        CertificateSignature = [0x5A],
        Certificate = null,
    };
}
