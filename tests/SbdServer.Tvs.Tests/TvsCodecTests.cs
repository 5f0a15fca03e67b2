using System.Text;
using CsCheck;
using SbdServer.Wire.Tvs;
using Xunit;

namespace SbdServer.Tvs.Tests;

public class TvsCodecTests
{
    private const string Subject = "CN=ucm11pub.stormin.local;OU=IST;O=Stormin;L=Brisbane;ST=QLD;C=AU";
    private const string Issuer = "CN=stormin-WIN2012-CA";
    private const string Serial = "24000000179479B8F124AC3F3B000000000017";

    /// <summary>The QUERY request of the CUCM 11 capture (cucm-reference.md section 2.5), 153 bytes.</summary>
    private static byte[] CapturedQuery() => Convert.FromHexString(
        "57010300000003E9008F"
        + "010018" + "01" + Hex("CP-8861-SEPB000B4BA0AEE")
        + "030042" + Hex(Subject) + "00"
        + "040016" + Hex(Issuer) + "00"
        + "050013" + Serial);

    private static string Hex(string ascii) => Convert.ToHexString(Encoding.ASCII.GetBytes(ascii));

    [Fact]
    public void ReadRequest_CapturedQuery_YieldsCaptureFields()
    {
        var bytes = CapturedQuery();
        Assert.Equal(153, bytes.Length);

        Assert.True(TvsHeader.TryRead(bytes, out var header));
        var request = Assert.IsType<TvsQueryRequest>(TvsCodec.ReadRequest(header, bytes.AsSpan(TvsHeader.Size)));

        Assert.Equal(TvsCommand.QueryRequest, header.Command);
        Assert.Equal(143, header.BodyLength);
        Assert.Equal(1001u, request.SessionId);
        Assert.Equal("CP-8861-SEPB000B4BA0AEE", request.DeviceName);
        Assert.Equal(Subject, request.SubjectName);
        Assert.Equal(Issuer, request.IssuerName);
        Assert.Equal(Serial, Convert.ToHexString(request.SerialNumber.Span));
    }

    [Fact]
    public void Write_CapturedQuery_ReproducesCaptureBytes()
    {
        var request = new TvsQueryRequest(1001, "CP-8861-SEPB000B4BA0AEE", Subject, Issuer, Convert.FromHexString(Serial));

        Assert.Equal(CapturedQuery(), TvsCodec.Write(request));
    }

    [Fact]
    public void Write_QueryResponseLikeCapture_MatchesCaptureHeaderAndLayout()
    {
        // The capture's answer: 1480 bytes, body 1470 = STATUS 4 + CERTIFICATE 3+1451 + ROLES 5 + TTL 7.
        var der = new byte[1451];
        der[0] = 0x30;
        var response = new TvsResponse(TvsCommand.QueryResponse, 1001, TvsStatus.Valid, der, new byte[] { 0, 3 }, 86400);

        var bytes = TvsCodec.Write(response);

        Assert.Equal(1480, bytes.Length);
        Assert.Equal("57010" + "4F7000003E905BE", Convert.ToHexString(bytes, 0, 10));
        Assert.Equal("070001" + "00" + "0205AB30", Convert.ToHexString(bytes, 10, 8));
        Assert.Equal("080002" + "0003" + "09000400015180", Convert.ToHexString(bytes, 10 + 4 + 3 + 1451, 12));
    }

    [Fact]
    public void Write_InvalidVerifyResponse_IsStatusOneAlone()
    {
        var bytes = TvsCodec.Write(TvsResponse.Invalid(TvsCommand.VerifyResponse, 7));

        Assert.Equal("570102F7000000070004" + "07000101", Convert.ToHexString(bytes));
    }

    [Fact]
    public void ReadResponse_WrittenResponse_RoundTrips()
    {
        var original = new TvsResponse(TvsCommand.VerifyResponse, 42, TvsStatus.Valid, default, new byte[] { 7 }, 3600);
        var bytes = TvsCodec.Write(original);
        Assert.True(TvsHeader.TryRead(bytes, out var header));

        var parsed = TvsCodec.ReadResponse(header, bytes.AsSpan(TvsHeader.Size));

        Assert.Equal(TvsStatus.Valid, parsed.Status);
        Assert.Equal(42u, parsed.SessionId);
        Assert.Equal([7], parsed.Roles.ToArray());
        Assert.Equal(3600u, parsed.TtlSeconds);
        Assert.True(parsed.Certificate.IsEmpty);
    }

    [Fact]
    public void ReadRequest_WrittenVerify_RoundTrips()
    {
        var der = new byte[] { 0x30, 0x03, 0x02, 0x01, 0x05 };
        var bytes = TvsCodec.Write(new TvsVerifyRequest(9, "CP-7962-SEP0011215A1AE3", der));
        Assert.True(TvsHeader.TryRead(bytes, out var header));

        var parsed = Assert.IsType<TvsVerifyRequest>(TvsCodec.ReadRequest(header, bytes.AsSpan(TvsHeader.Size)));

        Assert.Equal("CP-7962-SEP0011215A1AE3", parsed.DeviceName);
        Assert.Equal(der, parsed.Certificate.ToArray());
        Assert.Equal("0100180143502D373936322D534550303031313231354131414533", Convert.ToHexString(bytes, 10, 27));
    }

    [Fact]
    public void TryRead_NineBytes_ReturnsFalse()
    {
        Assert.False(TvsHeader.TryRead(new byte[9], out _));
    }

    [Theory]
    [InlineData("5801010000000001", "protocol id 0x58")]
    [InlineData("5702010000000001", "version 2")]
    [InlineData("5701050000000001", "unknown command 5")]
    [InlineData("5701000000000001", "command 0")]
    [InlineData("5701020000000001", "a response where a request is expected")]
    [InlineData("5701010000000001", "01000501414243 - declared 5, 3 present", "01000501414243")]
    [InlineData("5701010000000001", "partial element header", "0100")]
    [InlineData("5701010000000001", "device name twice", "01000401414243" + "01000401414243")]
    [InlineData("5701010000000001", "unknown element 6", "01000401414243" + "060000")]
    [InlineData("5701010000000001", "verify without certificate", "01000401414243")]
    [InlineData("5701010000000001", "empty certificate", "01000401414243" + "020000")]
    [InlineData("5701010000000001", "subject in a verify", "01000401414243" + "03000141")]
    [InlineData("5701030000000001", "query without serial", "01000401414243" + "040003434100")]
    [InlineData("5701030000000001", "query with empty serial", "01000401414243" + "04000243" + "00" + "050000")]
    [InlineData("5701010000000001", "device name with a control character", "01000401410A43")]
    [InlineData("5701010000000001", "empty device name", "01000101")]
    [InlineData("5701030000000001", "NUL inside a DN", "01000401414243" + "0400054300430000" + "05000101")]
    [InlineData("5701030000000001", "DN that is not UTF-8", "01000401414243" + "040003C32800" + "05000101")]
    public void ReadRequest_MalformedMessage_ThrowsTvsFormatException(string header, string because, string body = "")
    {
        // The declared length always matches the body here: each row breaks exactly one other rule.
        var bytes = Convert.FromHexString(header + (body.Length / 2).ToString("X4") + body);

        var ex = Record.Exception(() =>
        {
            if (TvsHeader.TryRead(bytes, out var parsed))
            {
                TvsCodec.ReadRequest(parsed, bytes.AsSpan(TvsHeader.Size, Math.Min(parsed.BodyLength, bytes.Length - TvsHeader.Size)));
            }
        });

        Assert.True(ex is TvsFormatException, because + ": " + ex?.GetType().Name);
    }

    [Theory]
    [InlineData("0700020000", "status of 2 bytes")]
    [InlineData("07000102", "status value 2")]
    [InlineData("070001000900020000", "TTL of 2 bytes")]
    [InlineData("080001070900040000", "no status, truncated TTL")]
    [InlineData("", "no status at all")]
    public void ReadResponse_MalformedBody_ThrowsTvsFormatException(string body, string because)
    {
        var bytes = Convert.FromHexString(body);
        var header = new TvsHeader(TvsCommand.VerifyResponse, 1, (ushort)bytes.Length);

        Assert.True(Record.Exception(() => TvsCodec.ReadResponse(header, bytes)) is TvsFormatException, because);
    }

    [Fact]
    public void ReadRequest_RandomBytes_OnlyTvsFormatExceptionEscapes()
    {
        Gen.Byte.Array[0, 120].Sample(bytes =>
        {
            // Half the samples get a valid request header so the element parser is exercised too.
            if (bytes.Length > 12 && bytes[0] % 2 == 0)
            {
                bytes[0] = 0x57;
                bytes[1] = 1;
                bytes[2] = (byte)(bytes[2] % 2 == 0 ? 1 : 3);
                bytes[8] = 0;
                bytes[9] = (byte)(bytes.Length - 10);
            }

            try
            {
                if (TvsHeader.TryRead(bytes, out var header) && header.BodyLength <= bytes.Length - TvsHeader.Size)
                {
                    TvsCodec.ReadRequest(header, bytes.AsSpan(TvsHeader.Size, header.BodyLength));
                }
            }
            catch (TvsFormatException)
            {
                // expected rejection
            }
        }, iter: 20_000);
    }
}
