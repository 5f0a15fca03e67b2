using System.Net;
using SbdServer.Core.Tftp;
using SbdServer.Tftp.Sources;
using SbdServer.Tftp.Tests.Infrastructure;
using SbdServer.Wire.Names;
using Xunit;

namespace SbdServer.Tftp.Tests;

/// <summary>Name rules, the static root (inside the root only, no links out, case-insensitive) and the CUCM fallbacks.</summary>
public sealed class CatalogueTests : IDisposable
{
    private readonly TempTree _tree = new();
    private readonly TempTree _outside = new();

    public void Dispose()
    {
        _tree.Dispose();
        _outside.Dispose();
    }

    [Theory]
    [InlineData("ITLFile.tlv", "ITLFile.tlv")]
    [InlineData("/ITLFile.tlv", "ITLFile.tlv")]
    [InlineData("dir\\file.bin", "dir/file.bin")]
    [InlineData("/dir/sub/file.bin", "dir/sub/file.bin")]
    [InlineData("SEP0011215A1AE3.cnf.xml.sgn", "SEP0011215A1AE3.cnf.xml.sgn")]
    public void Normalize_Accepts(string requested, string expected)
    {
        Assert.True(TftpFileName.TryNormalize(requested, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("//etc/passwd")]
    [InlineData("../etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("..\\..\\etc\\passwd")]
    [InlineData("./x")]
    [InlineData("C:\\Windows\\win.ini")]
    [InlineData("a\u0001b")]
    [InlineData("a\u007fb")]
    [InlineData("dir/")]
    public void Normalize_Refuses(string requested)
    {
        Assert.False(TftpFileName.TryNormalize(requested, out _));
    }

    [Fact]
    public void Normalize_RefusesOverlongNames()
    {
        Assert.False(TftpFileName.TryNormalize(new string('a', 256), out _));
    }

    [Theory]
    [InlineData("ITLSEP0011AA000001.tlv", "ITLFile.tlv")]
    [InlineData("itlsep0011aa000001.tlv", "ITLFile.tlv")]
    [InlineData("CTLSEP0011AA000001.tlv", "CTLFile.tlv")]
    [InlineData("ITLSEP0011AA00000.tlv", null)]
    [InlineData("ITLSEP0011AA00000G.tlv", null)]
    [InlineData("SEP0011AA000001.cnf.xml", null)]
    [InlineData("ITLFile.tlv", null)]
    public void Fallback_MapsPerDeviceTrustLists(string name, string? expected)
    {
        Assert.Equal(expected, PhoneFileName.ClusterFallbackFor(name));
    }

    [Fact]
    public async Task StaticRoot_ServesFilesCaseInsensitively()
    {
        var bytes = _tree.Write("Sub/RingList.xml", 10);
        var source = new StaticRootFileSource(_tree.Path, 1024);
        using var exact = await source.TryOpenAsync(Request("Sub/RingList.xml"), TestContext.Current.CancellationToken);
        using var otherCase = await source.TryOpenAsync(Request("sub/ringlist.XML"), TestContext.Current.CancellationToken);
        Assert.NotNull(exact);
        Assert.NotNull(otherCase);
        Assert.Equal(bytes, Read(otherCase));
    }

    [Fact]
    public async Task StaticRoot_LargeFilesStayOnDisk_AndReadExactly()
    {
        var bytes = _tree.Write("big.bin", 5000);
        var source = new StaticRootFileSource(_tree.Path, 1024);
        using var content = await source.TryOpenAsync(Request("big.bin"), TestContext.Current.CancellationToken);
        Assert.NotNull(content);
        Assert.False(content.IsInMemory);
        Assert.Equal(bytes, Read(content));
    }

    [Fact]
    public async Task StaticRoot_RefusesDirectoriesAndMissingFiles()
    {
        Directory.CreateDirectory(Path.Combine(_tree.Path, "dir"));
        var source = new StaticRootFileSource(_tree.Path, 1024);
        Assert.Null(await source.TryOpenAsync(Request("dir"), TestContext.Current.CancellationToken));
        Assert.Null(await source.TryOpenAsync(Request("nothing.bin"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task StaticRoot_FollowsLinksInside_ButNeverOut()
    {
        _tree.Write("real.bin", 10);
        var secret = Path.Combine(_outside.Path, "secret.txt");
        await File.WriteAllTextAsync(secret, "secret", TestContext.Current.CancellationToken);
        File.CreateSymbolicLink(Path.Combine(_tree.Path, "inside-link.bin"), "real.bin");
        File.CreateSymbolicLink(Path.Combine(_tree.Path, "outside-link.txt"), secret);
        Directory.CreateSymbolicLink(Path.Combine(_tree.Path, "outdir"), _outside.Path);
        Directory.CreateSymbolicLink(Path.Combine(_tree.Path, "indir"), Path.Combine(_tree.Path, "."));
        File.CreateSymbolicLink(Path.Combine(_tree.Path, "chain.txt"), "outside-link.txt");
        File.CreateSymbolicLink(Path.Combine(_tree.Path, "dotdot.txt"), "../" + Path.GetFileName(_outside.Path) + "/secret.txt");

        var source = new StaticRootFileSource(_tree.Path, 1024);
        using var inside = await source.TryOpenAsync(Request("inside-link.bin"), TestContext.Current.CancellationToken);
        Assert.NotNull(inside);
        using var viaDir = await source.TryOpenAsync(Request("indir/real.bin"), TestContext.Current.CancellationToken);
        Assert.NotNull(viaDir);
        Assert.Null(await source.TryOpenAsync(Request("outside-link.txt"), TestContext.Current.CancellationToken));
        Assert.Null(await source.TryOpenAsync(Request("outdir/secret.txt"), TestContext.Current.CancellationToken));
        Assert.Null(await source.TryOpenAsync(Request("OUTDIR/SECRET.TXT"), TestContext.Current.CancellationToken));
        Assert.Null(await source.TryOpenAsync(Request("chain.txt"), TestContext.Current.CancellationToken));
        Assert.Null(await source.TryOpenAsync(Request("dotdot.txt"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Catalogue_AsksSourcesInOrder_ThenTheFallback()
    {
        _tree.Write("ITLFile.tlv", [9, 9]);
        _tree.Write("ITLSEP0011AA000002.tlv", [2, 2]);
        var generated = new InMemoryTftpFileSource("generated");
        var alternate = new InMemoryTftpFileSource("alternate", ITftpFileSource.AlternateLocationsOrder);
        alternate.Set("ITLSEP0011AA000003.tlv", [3, 3]);
        var catalogue = new TftpCatalogue([alternate, new StaticRootFileSource(_tree.Path, 1024), generated]);
        Assert.Equal(["generated", "static", "alternate"], catalogue.Sources.Select(s => s.Name));

        Assert.Equal(("0909", "ITLFile.tlv", "static"), await OpenAsync(catalogue, "ITLSEP0011AA000001.tlv"));
        Assert.Equal(("0202", "ITLSEP0011AA000002.tlv", "static"), await OpenAsync(catalogue, "ITLSEP0011AA000002.tlv"));
        // The exact name is asked of every source (alternates included) before falling back to the cluster ITL.
        Assert.Equal(("0303", "ITLSEP0011AA000003.tlv", "alternate"), await OpenAsync(catalogue, "ITLSEP0011AA000003.tlv"));

        generated.Set("ITLFile.tlv", [1]);
        Assert.Equal(("01", "ITLFile.tlv", "generated"), await OpenAsync(catalogue, "ITLSEP0011AA000001.tlv"));

        // Non-secure cluster: no CTL anywhere -> not found; once CTLFile.tlv exists, CTLSEP falls back to it.
        var ctl = await catalogue.OpenAsync("CTLSEP0011AA000001.tlv", IPAddress.Loopback, TftpChannel.Tftp, TestContext.Current.CancellationToken);
        Assert.Equal(TftpLookupStatus.NotFound, ctl.Status);
        generated.Set("CTLFile.tlv", [7]);
        Assert.Equal(("07", "CTLFile.tlv", "generated"), await OpenAsync(catalogue, "CTLSEP0011AA000001.tlv"));

        var bad = await catalogue.OpenAsync("../x", IPAddress.Loopback, TftpChannel.Tftp, TestContext.Current.CancellationToken);
        Assert.Equal(TftpLookupStatus.InvalidName, bad.Status);
    }

    private static async Task<(string Hex, string ServedName, string Source)> OpenAsync(TftpCatalogue catalogue, string name)
    {
        var result = await catalogue.OpenAsync(name, IPAddress.Loopback, TftpChannel.Tftp, TestContext.Current.CancellationToken);
        Assert.Equal(TftpLookupStatus.Found, result.Status);
        using var content = result.Content!;
        return (Convert.ToHexString(Read(content)), result.ServedName!, content.Source);
    }

    private static TftpFileRequest Request(string name) => new(name, IPAddress.Loopback, TftpChannel.Tftp);

    private static byte[] Read(TftpFileContent content)
    {
        var bytes = new byte[content.Length];
        Assert.Equal(bytes.Length, content.Read(0, bytes));
        return bytes;
    }
}
