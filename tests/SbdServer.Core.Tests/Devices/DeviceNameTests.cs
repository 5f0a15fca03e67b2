using SbdServer.Core.Devices;
using Xunit;

namespace SbdServer.Core.Tests.Devices;

public class DeviceNameTests
{
    [Theory]
    [InlineData("0011215A1AE3")]
    [InlineData("0011215a1ae3")]
    [InlineData("SEP0011215A1AE3")]
    [InlineData("sep0011215a1ae3")]
    [InlineData("00:11:21:5a:1a:e3")]
    [InlineData("00-11-21-5A-1A-E3")]
    [InlineData("0011.215a.1ae3")]
    [InlineData("  00:11:21:5A:1A:E3  ")]
    public void Parse_CommonNotations_NormalisesToUpperHex(string input)
    {
        var name = DeviceName.Parse(input);

        Assert.Equal("SEP0011215A1AE3", name.Value);
        Assert.Equal("0011215A1AE3", name.Mac);
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("0011215A1AE", "11 hex digits")]
    [InlineData("0011215A1AE3F", "more than 12")]
    [InlineData("0011215A1AG3", "unexpected character 'G'")]
    [InlineData("00:11-21:5a:1a:e3", "unexpected character '-'")]
    [InlineData("0:011:21:5a:1a:e3", "groups its digits oddly")]
    [InlineData("SEP../../etc/passwd", "unexpected character '/'")]
    [InlineData("CP-7962-SEP0011215A1AE3", "unexpected character 'P'")]
    public void TryParse_Malformed_RejectedWithReason(string input, string reason)
    {
        Assert.False(DeviceName.TryParse(input, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_OverlongInput_RejectedWithoutEchoingIt()
    {
        var input = new string('A', 10_000);

        Assert.False(DeviceName.TryParse(input, out _, out var error));
        Assert.True(error.Length < 100);
    }

    [Theory]
    [InlineData("7962", true, false, true)]
    [InlineData("CP-8861", true, true, false)]
    [InlineData("Cisco 7975", true, false, true)]
    [InlineData("7940", false, false, true)]
    public void PhoneModels_KnownModels_HaveCapabilities(string name, bool itl, bool sha512, bool tls10Only)
    {
        Assert.True(PhoneModels.TryGet(name, out var model));
        Assert.Equal(itl, model.SupportsItl);
        Assert.Equal(sha512, model.SupportsSha512);
        Assert.Equal(tls10Only, model.Tls10Only);
        Assert.StartsWith("CP-", model.ProductCode, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1234")]
    [InlineData("")]
    [InlineData(null)]
    public void PhoneModels_UnknownModel_NotFound(string? name) => Assert.False(PhoneModels.TryGet(name, out _));
}
