using System.Text;
using SbdServer.Sip;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>The secure SIP port's request reading: the device a REGISTER is from, and what a response echoes.</summary>
public sealed class SipRequestTests
{
    private const string Register =
        "REGISTER sip:10.0.0.11 SIP/2.0\r\n" +
        "Via: SIP/2.0/TLS 10.0.0.50:51000;branch=z9hG4bK1\r\n" +
        "v: SIP/2.0/TLS 10.0.0.1:5061;branch=z9hG4bK2\r\n" +
        "From: <sip:1000@10.0.0.11>;tag=a1\r\n" +
        "To: <sip:1000@10.0.0.11>\r\n" +
        "i: 42@10.0.0.50\r\n" +
        "CSeq: 101 REGISTER\r\n" +
        "Contact: <sip:1000@10.0.0.50:51000;transport=tls>;\r\n +sip.instance=\"<urn:uuid:00000000-0000-0000-0000-0a0b0c0d2001>\"\r\n" +
        "l: 0";

    [Fact]
    public void Register_TheDeviceComesFromTheInstanceId_CompactAndFoldedHeadersAreRead()
    {
        var request = SipRequest.Parse(Register);

        Assert.Equal("REGISTER", request.Method);
        Assert.Equal("SEP0A0B0C0D2001", request.DeviceName());
        Assert.Equal(2, request.All("Via").Count());
        Assert.Equal("42@10.0.0.50", request.Header("Call-ID"));
        Assert.Equal(0, request.ContentLength);
    }

    [Fact]
    public void Register_WithoutInstance_TakesASepUserInFrom_ElseNone()
    {
        var sep = SipRequest.Parse("REGISTER sip:x SIP/2.0\r\nFrom: <sip:sep0a0b0c0d2001@x>;tag=1");
        var dn = SipRequest.Parse("REGISTER sip:x SIP/2.0\r\nFrom: <sip:1000@x>;tag=1");

        Assert.Equal("SEP0A0B0C0D2001", sep.DeviceName());
        Assert.Null(dn.DeviceName());
    }

    [Fact]
    public void Response_EchoesTheTransaction_AndTagsTo()
    {
        var text = Encoding.UTF8.GetString(SipRequest.Parse(Register).Response(200, "OK", "t9", [("Expires", "3600")]));

        Assert.StartsWith("SIP/2.0 200 OK\r\nVia: SIP/2.0/TLS 10.0.0.50:51000;branch=z9hG4bK1\r\nVia: SIP/2.0/TLS 10.0.0.1:5061;branch=z9hG4bK2\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nTo: <sip:1000@10.0.0.11>;tag=t9\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nCSeq: 101 REGISTER\r\nExpires: 3600\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("Content-Length: 0\r\n\r\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("REGISTER sip:x SIP/1.0")]
    [InlineData("register sip:x SIP/2.0")]
    [InlineData("REGISTER sip:x SIP/2.0\r\nno colon here")]
    [InlineData("")]
    public void Malformed_IsAFormatException(string block) => Assert.Throws<FormatException>(() => SipRequest.Parse(block));
}
