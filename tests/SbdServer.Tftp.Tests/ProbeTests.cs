using System.Net;
using SbdServer.Testing;
using SbdServer.Tftp.Tests.Infrastructure;
using Xunit;

namespace SbdServer.Tftp.Tests;

/// <summary>
/// The edge-case requests of ../shared/bench/tftp_probe.py, replayed in C# with the answers the server must give,
/// then the probe script itself against the same server.
/// </summary>
public sealed class ProbeTests : IAsyncLifetime
{
    private const string File = "ITLFile.tlv";
    private readonly TempTree _tree = new();
    private TftpTestServer _server = null!;

    public static TheoryData<string, byte[], string> Probes => new()
    {
        { "plain RRQ", RawTftp.Rrq(File), "DATA block 1, 512 bytes" },
        { "mode OCTET (upper case)", RawTftp.Rrq(File, "OCTET"), "DATA block 1, 512 bytes" },
        { "mode netascii", RawTftp.Rrq(File, "netascii"), "DATA block 1, 512 bytes" },
        { "mode mail (obsolete)", RawTftp.Rrq(File, "mail"), "ERROR 4 'Unsupported transfer mode'" },
        { "unknown mode", RawTftp.Rrq(File, "binary"), "ERROR 4 'Unsupported transfer mode'" },
        { "Cisco 7940 quirk: extra NUL after mode", [.. RawTftp.Rrq(File), 0], "DATA block 1, 512 bytes" },
        { "no NUL after mode (truncated)", RawTftp.Rrq(File)[..^1], "DATA block 1, 512 bytes" },
        { "empty filename", RawTftp.Rrq(""), "ERROR 4 'Illegal TFTP request'" },
        { "leading slash /file", RawTftp.Rrq("/" + File), "DATA block 1, 512 bytes" },
        { "traversal ../../../../etc/passwd", RawTftp.Rrq("../../../../etc/passwd"), "ERROR 2 'Access violation'" },
        { "absolute /etc/passwd", RawTftp.Rrq("/etc/passwd"), "ERROR 1 'File not found'" },
        { "backslash ..\\..\\etc\\passwd", RawTftp.Rrq("..\\..\\etc\\passwd"), "ERROR 2 'Access violation'" },
        { "dir/../file", RawTftp.Rrq("sub/../" + File), "ERROR 2 'Access violation'" },
        { "lower-case name", RawTftp.Rrq(File.ToLowerInvariant()), "DATA block 1, 512 bytes" },
        { "blksize 1428 + tsize 0", RawTftp.Rrq(File, "octet", ("blksize", "1428"), ("tsize", "0")),
            "OACK blksize=1428 tsize=5438" },
        { "BLKSIZE upper-case option name", RawTftp.Rrq(File, "octet", ("BLKSIZE", "1024")), "OACK blksize=1024" },
        { "blksize 65464 (max)", RawTftp.Rrq(File, "octet", ("blksize", "65464")), "OACK blksize=1468" },
        { "blksize 70000 (too big)", RawTftp.Rrq(File, "octet", ("blksize", "70000")), "OACK blksize=1468" },
        { "blksize 7 (too small)", RawTftp.Rrq(File, "octet", ("blksize", "7")), "DATA block 1, 512 bytes" },
        { "blksize abc (garbage)", RawTftp.Rrq(File, "octet", ("blksize", "abc")), "DATA block 1, 512 bytes" },
        { "timeout 300", RawTftp.Rrq(File, "octet", ("timeout", "300")), "DATA block 1, 512 bytes" },
        { "timeout 3", RawTftp.Rrq(File, "octet", ("timeout", "3")), "OACK timeout=3" },
        { "tsize with netascii", RawTftp.Rrq(File, "netascii", ("tsize", "0")), "DATA block 1, 512 bytes" },
        { "windowsize 8", RawTftp.Rrq(File, "octet", ("windowsize", "8")), "OACK windowsize=8" },
        { "windowsize 1000 (capped)", RawTftp.Rrq(File, "octet", ("windowsize", "1000")), "OACK windowsize=16" },
        { "unknown option foo=bar only", RawTftp.Rrq(File, "octet", ("foo", "bar")), "DATA block 1, 512 bytes" },
        { "unknown option + blksize", RawTftp.Rrq(File, "octet", ("foo", "bar"), ("blksize", "1024")),
            "OACK blksize=1024" },
        { "option without value", [.. RawTftp.Rrq(File), .. "blksize\0"u8.ToArray()], "DATA block 1, 512 bytes" },
        { "WRQ (upload) of existing file", [0, 2, .. RawTftp.Rrq(File)[2..]],
            "ERROR 2 'Write requests are not accepted'" },
        { "DATA to port 69 (bad opcode for listener)", [0, 3, 0, 1, .. "hello"u8.ToArray()], "(no answer within 1 s)" },
        { "opcode 9 (undefined)", [0, 9, .. "abc\0"u8.ToArray()], "(no answer within 1 s)" },
        { "1-byte packet", [0], "(no answer within 1 s)" },
    };

    public async ValueTask InitializeAsync()
    {
        _tree.Write(File, 5438);
        Directory.CreateDirectory(Path.Combine(_tree.Path, "sub"));
        _server = await TftpTestServer.StartAsync(s => s["Tftp:Root"] = _tree.Path);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _tree.Dispose();
    }

    [Theory]
    [MemberData(nameof(Probes))]
    public async Task Probe_AnswersLikeTheReference(string label, byte[] packet, string expected)
    {
        var answer = await RawTftp.FirstAnswerAsync(_server.V4, packet, expected.StartsWith('(') ? 700 : 3000);
        Assert.True(expected == RawTftp.Describe(answer?.Packet), $"{label}: got {RawTftp.Describe(answer?.Packet)}");
    }

    [Fact]
    public async Task Probe_ErrorTextsNeverShowServerPaths()
    {
        foreach (var name in new[] { "../../../../etc/passwd", "/etc/passwd", "missing.bin", "sub", "a//b", "x:y" })
        {
            var answer = await RawTftp.FirstAnswerAsync(_server.V4, RawTftp.Rrq(name), 3000);
            var text = RawTftp.Describe(answer?.Packet);
            Assert.StartsWith("ERROR", text);
            Assert.DoesNotContain(_tree.Path, text, StringComparison.Ordinal);
            Assert.DoesNotContain("/tmp", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TftpProbeScript_ReportsTheExpectedAnswers()
    {
        var script = SharedFiles.Require("bench/tftp_probe.py");
        var python = Requirements.Tool("python3");
        var (exitCode, output) = await Tool.RunAsync(python, [script, "127.0.0.1", _server.Port.ToString(), File]);
        Assert.True(exitCode == 0, output);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(" -> ", 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        Assert.Equal("DATA block 1, 512 bytes", lines["plain RRQ"]);
        Assert.Equal("ERROR 4 'Unsupported transfer mode'", lines["unknown mode"]);
        Assert.Equal("DATA block 1, 512 bytes", lines["Cisco 7940 quirk: extra NUL after mode"]);
        Assert.Equal("ERROR 2 'Access violation'", lines["traversal ../../../../etc/passwd"]);
        Assert.Equal("ERROR 1 'File not found'", lines["absolute /etc/passwd"]);
        Assert.Equal("ERROR 2 'Access violation'", lines["backslash ..\\..\\etc\\passwd"]);
        Assert.Equal("OACK blksize=1428 tsize=5438", lines["blksize 1428 + tsize 0"]);
        Assert.Equal("OACK blksize=1024", lines["BLKSIZE upper-case option name"]);
        Assert.Equal("DATA block 1, 512 bytes", lines["blksize 7 (too small)"]);
        Assert.Equal("DATA block 1, 512 bytes", lines["timeout 1 / timeout 0 / timeout 300"]);
        Assert.Equal("ERROR 2 'Write requests are not accepted'", lines["WRQ (upload) of existing file"]);
        Assert.Equal("(no answer within 1 s)", lines["DATA to port 69 (bad opcode for listener)"]);
        Assert.Equal("(no answer within 1 s)", lines["1-byte packet"]);
        Assert.DoesNotContain(output.Split('\n'), l => l.Contains(_tree.Path, StringComparison.Ordinal));
    }
}
