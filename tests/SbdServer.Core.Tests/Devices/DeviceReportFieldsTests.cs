using SbdServer.Core.CertificateStore;
using SbdServer.Core.Devices;
using SbdServer.Core.Errors;
using Xunit;

namespace SbdServer.Core.Tests.Devices;

public class DeviceReportFieldsTests
{
    [Theory]
    [InlineData("0123456789ABCDEF0123456789abcdef")]
    [InlineData("01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF")]
    [InlineData("01 23 45 67 89 ab cd ef 01 23 45 67 89 ab cd ef")]
    [InlineData("01-23-45-67-89-AB-CD-EF-01-23-45-67-89-AB-CD-EF")]
    public void Hex_AsPhonesAndToolsPrintIt_IsNormalisedToLowerCase(string text) =>
        Assert.Equal("0123456789abcdef0123456789abcdef", DeviceReportFields.Hex("itlMd5", text, 32));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Hex_Absent_IsNotReported(string? text) => Assert.Null(DeviceReportFields.Hex("itlSha1", text, 40));

    [Theory]
    [InlineData("0123456789abcdef0123456789abcde", "31 hex digits; expected 32")]
    [InlineData("0123456789abcdef0123456789abcdef00", "34 hex digits; expected 32")]
    [InlineData("0123456789abcdef0123456789abcdeg", "must be hexadecimal")]
    [InlineData("0x23456789abcdef0123456789abcdef", "must be hexadecimal")]
    public void Hex_Malformed_IsRefusedNamingTheField(string text, string reason)
    {
        var ex = Assert.Throws<InvalidInputException>(() => DeviceReportFields.Hex("ctlMd5", text, 32));

        Assert.Contains("'ctlMd5'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hex_Huge_IsRefusedWithoutEchoingIt()
    {
        var ex = Assert.Throws<InvalidInputException>(() => DeviceReportFields.Hex("itlSha1", new string('a', 5000), 40));

        Assert.Contains("5000 characters", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("aaaa", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_IsTrimmed_CappedAndFreeOfControlCharacters()
    {
        Assert.Equal("ITL installed", DeviceReportFields.Text("status", "  ITL installed ", DeviceReportFields.MaxStatusLength));
        Assert.Null(DeviceReportFields.Text("status", " ", DeviceReportFields.MaxStatusLength));
        Assert.Equal(new string('x', DeviceReportFields.MaxStatusLength), DeviceReportFields.Text("status", new string('x', DeviceReportFields.MaxStatusLength), DeviceReportFields.MaxStatusLength));

        var tooLong = Assert.Throws<InvalidInputException>(() => DeviceReportFields.Text("status", new string('x', DeviceReportFields.MaxStatusLength + 1), DeviceReportFields.MaxStatusLength));
        Assert.Contains("'status'", tooLong.Message, StringComparison.Ordinal);
        var control = Assert.Throws<InvalidInputException>(() => DeviceReportFields.Text("itlSigner", "CN=a\nX-Injected: 1", DeviceReportFields.MaxSignerLength));
        Assert.Contains("'itlSigner'", control.Message, StringComparison.Ordinal);
    }
}
