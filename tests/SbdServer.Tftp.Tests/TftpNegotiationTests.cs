using SbdServer.Tftp.Sessions;
using SbdServer.Wire.Tftp;
using Xunit;

namespace SbdServer.Tftp.Tests;

public sealed class TftpNegotiationTests
{
    [Theory]
    [InlineData("blksize=1428,tsize=0", "octet", "blksize=1428 tsize=5438", 1428, 1)]
    [InlineData("BLKSIZE=1024", "octet", "blksize=1024", 1024, 1)]
    [InlineData("blksize=65464", "octet", "blksize=1468", 1468, 1)]
    [InlineData("blksize=7", "octet", "", 512, 1)]
    [InlineData("blksize=abc", "octet", "", 512, 1)]
    [InlineData("blksize=-5", "octet", "", 512, 1)]
    [InlineData("timeout=300", "octet", "", 512, 1)]
    [InlineData("timeout=0", "octet", "", 512, 1)]
    [InlineData("timeout=255", "octet", "timeout=255", 512, 1)]
    [InlineData("tsize=0", "netascii", "", 512, 1)]
    [InlineData("windowsize=8", "octet", "windowsize=8", 512, 8)]
    [InlineData("windowsize=8", "netascii", "", 512, 1)]
    [InlineData("windowsize=0", "octet", "", 512, 1)]
    [InlineData("windowsize=999", "octet", "windowsize=16", 512, 16)]
    [InlineData("foo=bar,blksize=1024", "octet", "blksize=1024", 1024, 1)]
    [InlineData("blksize=1024,blksize=600", "octet", "blksize=1024", 1024, 1)]
    [InlineData("tsize=0,blksize=1000", "octet", "tsize=5438 blksize=1000", 1000, 1)]
    public void Negotiate_IgnoresWhatItCannotGrant(
        string asked, string mode, string expectedOack, int expectedBlock, int expectedWindow)
    {
        var options = asked.Split(',').Select(p => p.Split('=')).Select(p => new TftpOption(p[0], p[1])).ToList();
        Assert.True(TftpRequestCodec.TryParseMode(mode, out var parsedMode));

        var result = TftpNegotiation.Negotiate(options, parsedMode, 5438, 1468, 16);

        Assert.Equal(expectedOack, string.Join(' ', result.Accepted.Select(o => $"{o.Name}={o.Value}")));
        Assert.Equal(expectedBlock, result.BlockSize);
        Assert.Equal(expectedWindow, result.WindowSize);
    }
}
