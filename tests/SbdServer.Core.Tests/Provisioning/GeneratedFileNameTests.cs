using SbdServer.Core.Provisioning;
using Xunit;

namespace SbdServer.Core.Tests.Provisioning;

public sealed class GeneratedFileNameTests
{
    [Theory]
    [InlineData("ITLFile.tlv", GeneratedFileKind.Itl, null)]
    [InlineData("itlfile.TLV", GeneratedFileKind.Itl, null)]
    [InlineData("CTLFile.tlv", GeneratedFileKind.Ctl, null)]
    [InlineData("ITLSEP0011215a1ae3.tlv", GeneratedFileKind.Itl, "SEP0011215A1AE3")]
    [InlineData("CTLSEP0011215A1AE3.tlv", GeneratedFileKind.Ctl, "SEP0011215A1AE3")]
    [InlineData("SEP0011215A1AE3.cnf.xml", GeneratedFileKind.Config, "SEP0011215A1AE3")]
    [InlineData("sep0011215a1ae3.CNF.XML.SGN", GeneratedFileKind.SignedConfig, "SEP0011215A1AE3")]
    [InlineData("SEP0011215A1AE3.cnf.xml.enc.sgn", GeneratedFileKind.EncryptedConfig, "SEP0011215A1AE3")]
    [InlineData("XMLDefault.cnf.xml", GeneratedFileKind.DefaultConfig, null)]
    [InlineData("XMLDefault.cnf.xml.sgn", GeneratedFileKind.SignedDefaultConfig, null)]
    public void Recognises_GeneratedNames(string name, GeneratedFileKind kind, string? device)
    {
        Assert.True(GeneratedFileName.TryParse(name, out var file));
        Assert.Equal(kind, file.Kind);
        Assert.Equal(device, file.Device?.Value);
    }

    [Theory]
    [InlineData("RingList.xml")]
    [InlineData("SEP0011215A1AE3.tlv")]
    [InlineData("ITLSEP0011215A1AE3.cnf.xml")]
    [InlineData("SEP0011215A1AE.cnf.xml")]
    [InlineData("SEP0011215A1AE3.cnf.xml.enc")]
    [InlineData("dir/ITLFile.tlv")]
    [InlineData("SIP88xx.12-8-1.loads.sgn")]
    public void Refuses_OtherNames(string name) => Assert.False(GeneratedFileName.TryParse(name, out _));
}
