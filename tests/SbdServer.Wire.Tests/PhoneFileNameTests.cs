using SbdServer.Wire.Names;
using Xunit;

namespace SbdServer.Wire.Tests;

public sealed class PhoneFileNameTests
{
    [Theory]
    [InlineData("ITLFile.tlv", PhoneFileKind.Itl, null, "ITLFile.tlv")]
    [InlineData("itlfile.TLV", PhoneFileKind.Itl, null, "ITLFile.tlv")]
    [InlineData("CTLFile.tlv", PhoneFileKind.Ctl, null, "CTLFile.tlv")]
    [InlineData("ITLSEP0011215a1ae3.tlv", PhoneFileKind.Itl, "SEP0011215A1AE3", "ITLSEP0011215A1AE3.tlv")]
    [InlineData("CTLSEP0011215A1AE3.tlv", PhoneFileKind.Ctl, "SEP0011215A1AE3", "CTLSEP0011215A1AE3.tlv")]
    [InlineData("SEP0011215A1AE3.cnf.xml", PhoneFileKind.Config, "SEP0011215A1AE3", "SEP0011215A1AE3.cnf.xml")]
    [InlineData("sep0011215a1ae3.CNF.XML.SGN", PhoneFileKind.SignedConfig, "SEP0011215A1AE3", "SEP0011215A1AE3.cnf.xml.sgn")]
    [InlineData("SEP0011215A1AE3.cnf.xml.enc.sgn", PhoneFileKind.EncryptedConfig, "SEP0011215A1AE3", "SEP0011215A1AE3.cnf.xml.enc.sgn")]
    [InlineData("XMLDefault.cnf.xml", PhoneFileKind.DefaultConfig, null, "XMLDefault.cnf.xml")]
    [InlineData("xmldefault.cnf.xml.SGN", PhoneFileKind.SignedDefaultConfig, null, "XMLDefault.cnf.xml.sgn")]
    public void Parses_TheGrammar_AndFormatsCanonically(string name, PhoneFileKind kind, string? device, string canonical)
    {
        Assert.True(PhoneFileName.TryParse(name, out var file));
        Assert.Equal(kind, file.Kind);
        Assert.Equal(device, file.DeviceName);
        Assert.Equal(canonical, file.ToString());
        Assert.True(PhoneFileName.TryParse(file.ToString(), out var again));
        Assert.Equal(file, again);
    }

    [Theory]
    [InlineData("")]
    [InlineData("RingList.xml")]
    [InlineData("SEP0011215A1AE3.tlv")]
    [InlineData("ITLSEP0011215A1AE3.cnf.xml")]
    [InlineData("SEP0011215A1AE.cnf.xml")]
    [InlineData("SEP0011215A1AE33.cnf.xml")]
    [InlineData("SEP0011215A1AEG.cnf.xml")]
    [InlineData("SEP0011215A1AE3.cnf.xml.enc")]
    [InlineData("SEP0011215A1AE3.cnf.xml.sgn.sgn")]
    [InlineData("ITLSEP0011AA00000.tlv")]
    [InlineData("ITLSEP0011AA000001.tlv.sgn")]
    [InlineData("XITLSEP0011AA000001.tlv")]
    [InlineData("dir/ITLFile.tlv")]
    [InlineData("/ITLFile.tlv")]
    [InlineData("ITLSEP")]
    [InlineData("SIP88xx.12-8-1.loads.sgn")]
    public void Refuses_OtherNames(string name) => Assert.False(PhoneFileName.TryParse(name, out _));

    [Theory]
    [InlineData("ITLSEP0011AA000001.tlv", "ITLFile.tlv")]
    [InlineData("itlsep0011aa000001.tlv", "ITLFile.tlv")]
    [InlineData("CTLSEP0011AA000001.tlv", "CTLFile.tlv")]
    [InlineData("ITLFile.tlv", null)]
    [InlineData("SEP0011AA000001.cnf.xml.sgn", null)]
    [InlineData("XMLDefault.cnf.xml", null)]
    [InlineData("RingList.xml", null)]
    public void ClusterFallback_OnlyForPerDeviceTrustLists(string name, string? expected) =>
        Assert.Equal(expected, PhoneFileName.ClusterFallbackFor(name));

    [Fact]
    public void ForDevice_FormatsEveryPerDeviceKind()
    {
        Assert.Equal("ITLSEP0011215A1AE3.tlv", PhoneFileName.ForDevice(PhoneFileKind.Itl, "0011215a1ae3").ToString());
        Assert.Equal("CTLSEP0011215A1AE3.tlv", PhoneFileName.ForDevice(PhoneFileKind.Ctl, "0011215A1AE3").ToString());
        Assert.Equal("SEP0011215A1AE3.cnf.xml", PhoneFileName.ForDevice(PhoneFileKind.Config, "0011215A1AE3").ToString());
        Assert.Equal("SEP0011215A1AE3.cnf.xml.enc.sgn", PhoneFileName.ForDevice(PhoneFileKind.EncryptedConfig, "0011215A1AE3").ToString());
        Assert.Equal("XMLDefault.cnf.xml.sgn", PhoneFileName.ForCluster(PhoneFileKind.SignedDefaultConfig).ToString());
    }

    [Theory]
    [InlineData(PhoneFileKind.Config, "0011215A1AE")]
    [InlineData(PhoneFileKind.Config, "SEP0011215A1AE3")]
    [InlineData(PhoneFileKind.Itl, "00:11:21:5A:1A:E3")]
    [InlineData(PhoneFileKind.DefaultConfig, "0011215A1AE3")]
    public void ForDevice_RefusesWhatHasNoName(PhoneFileKind kind, string mac) =>
        Assert.Throws<ArgumentException>(() => PhoneFileName.ForDevice(kind, mac));

    [Fact]
    public void ForCluster_RefusesDeviceConfigs() =>
        Assert.Throws<ArgumentException>(() => PhoneFileName.ForCluster(PhoneFileKind.SignedConfig));
}
