using System.Security.Cryptography;
using SbdServer.Testing;
using SbdServer.Tftp.Tests.Infrastructure;
using Xunit;

namespace SbdServer.Tftp.Tests;

/// <summary>
/// tftp-hpa, atftp (blksize 1428 + tsize) and curl (tftp:// and http://:6970) fetch the same static files and get
/// identical bytes: small, multi-block, an exact multiple of the block size (final empty DATA), and empty.
/// </summary>
public sealed class RealClientTests : IAsyncLifetime
{
    private readonly TempTree _tree = new();
    private readonly TempTree _out = new();
    private readonly Dictionary<string, byte[]> _files = [];
    private TftpTestServer _server = null!;

    public static TheoryData<string> FileNames => new()
    {
        "small.cnf", "ITLFile.tlv", "exact512x2.bin", "exact1428x2.bin", "empty.bin", "sub/Ringlist.xml",
    };

    // curl 7.88 fails every 0-byte TFTP download with "(71) getpeername() failed" (also against tftpd-hpa), so the
    // empty file is checked with the other three clients only.
    public static TheoryData<string> CurlTftpFileNames => new()
    {
        "small.cnf", "ITLFile.tlv", "exact512x2.bin", "exact1428x2.bin", "sub/Ringlist.xml",
    };

    public async ValueTask InitializeAsync()
    {
        _files["small.cnf"] = _tree.Write("small.cnf", 100, 1);
        _files["ITLFile.tlv"] = _tree.Write("ITLFile.tlv", 5438, 2);
        _files["exact512x2.bin"] = _tree.Write("exact512x2.bin", 1024, 3);
        _files["exact1428x2.bin"] = _tree.Write("exact1428x2.bin", 2856, 4);
        _files["empty.bin"] = _tree.Write("empty.bin", 0, 5);
        _files["sub/Ringlist.xml"] = _tree.Write("sub/Ringlist.xml", 3000, 6);
        _server = await TftpTestServer.StartAsync(s => s["Tftp:Root"] = _tree.Path);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _tree.Dispose();
        _out.Dispose();
    }

    [Theory]
    [MemberData(nameof(FileNames))]
    public async Task TftpHpa_FetchesIdenticalBytes(string name)
    {
        var tftp = Requirements.Tool("tftp");
        var local = Local(name, "hpa");
        var (code, output) = await Tool.RunAsync(tftp,
            ["127.0.0.1", _server.Port.ToString(), "-m", "binary", "-c", "get", name, local]);
        Assert.True(code == 0, output);
        Assert.Equal(Sha(_files[name]), Sha(await File.ReadAllBytesAsync(local, TestContext.Current.CancellationToken)));
    }

    [Theory]
    [MemberData(nameof(FileNames))]
    public async Task Atftp_WithBlksize1428AndTsize_FetchesIdenticalBytes(string name)
    {
        var atftp = Requirements.Tool("atftp");
        var local = Local(name, "atftp");
        var (code, output) = await Tool.RunAsync(atftp,
        [
            "--option", "blksize 1428", "--option", "tsize 0", "-g", "-r", name, "-l", local,
            "127.0.0.1", _server.Port.ToString(),
        ]);
        Assert.True(code == 0, output);
        Assert.Equal(Sha(_files[name]), Sha(await File.ReadAllBytesAsync(local, TestContext.Current.CancellationToken)));
    }

    [Theory]
    [MemberData(nameof(CurlTftpFileNames))]
    public async Task CurlTftp_FetchesIdenticalBytes(string name)
    {
        var curl = Requirements.Tool("curl");
        var local = Local(name, "curl");
        var (code, output) = await Tool.RunAsync(curl,
            ["-sS", "--max-time", "20", "--tftp-blksize", "1024", "-o", local, $"tftp://127.0.0.1:{_server.Port}/{name}"]);
        Assert.True(code == 0, output);
        Assert.Equal(Sha(_files[name]), Sha(await File.ReadAllBytesAsync(local, TestContext.Current.CancellationToken)));
    }

    [Theory]
    [MemberData(nameof(FileNames))]
    public async Task CurlHttp6970_FetchesIdenticalBytes(string name)
    {
        var curl = Requirements.Tool("curl");
        var local = Local(name, "http");
        var (code, output) = await Tool.RunAsync(curl,
            ["-sS", "--fail", "--max-time", "20", "-o", local, $"http://127.0.0.1:{_server.HttpPort}/{name}"]);
        Assert.True(code == 0, output);
        Assert.Equal(Sha(_files[name]), Sha(await File.ReadAllBytesAsync(local, TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task TftpHpa_MissingFile_LeavesNoContent()
    {
        // tftp-hpa exits 0 on "File not found": judge by the file, not the exit code.
        var tftp = Requirements.Tool("tftp");
        var local = Local("missing.bin", "hpa");
        var (_, output) = await Tool.RunAsync(tftp,
            ["127.0.0.1", _server.Port.ToString(), "-m", "binary", "-c", "get", "missing.bin", local]);
        Assert.Contains("File not found", output, StringComparison.Ordinal);
        Assert.True(!File.Exists(local) || new FileInfo(local).Length == 0);
    }

    [Fact]
    public async Task Curl_MissingFile_TftpError1AndHttp404()
    {
        var curl = Requirements.Tool("curl");
        var (tftpCode, _) = await Tool.RunAsync(curl,
            ["-sS", "--max-time", "20", "-o", "/dev/null", $"tftp://127.0.0.1:{_server.Port}/missing.bin"]);
        Assert.Equal(68, tftpCode); // curl: "file not found on TFTP server"
        var (httpCode, httpOutput) = await Tool.RunAsync(curl,
            ["-s", "-o", "/dev/null", "-w", "%{http_code}", $"http://127.0.0.1:{_server.HttpPort}/missing.bin"]);
        Assert.Equal(0, httpCode);
        Assert.Equal("404", httpOutput.Trim());
    }

    [Fact]
    public async Task TftpHpa_OverIPv6_FetchesIdenticalBytes()
    {
        var tftp = Requirements.Tool("tftp");
        var local = Local("ITLFile.tlv", "hpa6");
        var (code, output) = await Tool.RunAsync(tftp,
            ["-6", "::1", _server.Port.ToString(), "-m", "binary", "-c", "get", "ITLFile.tlv", local]);
        Assert.True(code == 0, output);
        Assert.Equal(Sha(_files["ITLFile.tlv"]),
            Sha(await File.ReadAllBytesAsync(local, TestContext.Current.CancellationToken)));
    }

    private string Local(string name, string client) => Path.Combine(_out.Path, client + "-" + name.Replace('/', '_'));

    private static string Sha(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));
}
