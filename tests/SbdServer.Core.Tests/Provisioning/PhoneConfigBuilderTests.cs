using System.Xml.Linq;
using SbdServer.Core.Devices;
using SbdServer.Core.Provisioning;
using Xunit;

namespace SbdServer.Core.Tests.Provisioning;

public class PhoneConfigBuilderTests
{
    private static readonly CallManagerNodeRef Pub = new("pub", "pub.lab.example");
    private static readonly CallManagerNodeRef Sub1 = new("sub1", "sub1.lab.example");
    private static readonly CallManagerNodeRef Sub2 = new("sub2", "sub2.lab.example");

    private static PhoneConfigInput Input(IReadOnlyList<CallManagerNodeRef> group, bool secureUrls = true,
        bool encrypted = false, string? certHash = null) => new(
        DeviceName.Parse("0011215A1AE3"), DeviceProtocol.Sccp, "Default", "G1", group, Pub,
        DeviceSecurityMode.NonSecure, CapfAuthMode: 0, certHash, encrypted, "SCCP41.9-2-3S", secureUrls);

    [Fact]
    public void BuildFull_TvsListFollowsGroupOrder()
    {
        var xml = XDocument.Parse(System.Text.Encoding.UTF8.GetString(PhoneConfigBuilder.BuildFull(Input([Sub2, Pub, Sub1])))).Root!;

        var tvs = xml.Element("TVS")!.Element("members")!.Elements("member").ToList();
        Assert.Equal(["sub2.lab.example", "pub.lab.example", "sub1.lab.example"], tvs.Select(m => m.Element("address")!.Value));
        Assert.Equal(["0", "1", "2"], tvs.Select(m => m.Attribute("priority")!.Value));
        Assert.All(tvs, m => Assert.Equal("2445", m.Element("port")!.Value));

        var cms = xml.Element("devicePool")!.Element("callManagerGroup")!.Element("members")!.Elements("member");
        Assert.Equal(["sub2", "pub", "sub1"], cms.Select(m => m.Element("callManager")!.Element("name")!.Value));
    }

    [Theory]
    [InlineData(true, "https://sub1.lab.example:8443/ccmcip/xmldirectory.jsp")]
    [InlineData(false, "http://sub1.lab.example:8080/ccmcip/xmldirectory.jsp")]
    public void BuildFull_ServiceUrlsFollowSecuredUrlParameter(bool secure, string expected)
    {
        var xml = XDocument.Parse(System.Text.Encoding.UTF8.GetString(PhoneConfigBuilder.BuildFull(Input([Sub1], secure)))).Root!;

        Assert.Equal(expected, xml.Element("directoryURL")!.Value);
        Assert.Equal("pub.lab.example", xml.Element("capfList")!.Element("capf")!.Element("processNodeName")!.Value);
        Assert.Equal("false", xml.Element("encrConfig")!.Value);
    }

    [Fact]
    public void BuildFull_SameInputs_SameBytes() =>
        Assert.Equal(PhoneConfigBuilder.BuildFull(Input([Pub, Sub1])), PhoneConfigBuilder.BuildFull(Input([Pub, Sub1])));

    [Fact]
    public void BuildFull_NoBomAndXmlDeclaration()
    {
        var bytes = PhoneConfigBuilder.BuildFull(Input([Pub]));

        Assert.Equal((byte)'<', bytes[0]);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void BuildFull_GroupOfFour_Rejected() =>
        Assert.Throws<ArgumentException>(() => PhoneConfigBuilder.BuildFull(Input([Pub, Sub1, Sub2, Pub])));
}
