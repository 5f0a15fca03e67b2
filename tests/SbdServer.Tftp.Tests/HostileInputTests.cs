using System.Net.Sockets;
using SbdServer.Tftp.Tests.Infrastructure;
using Xunit;

namespace SbdServer.Tftp.Tests;

/// <summary>Garbage, floods and silent clients: the server keeps serving, memory and logs stay bounded.</summary>
public sealed class HostileInputTests : IAsyncLifetime
{
    private readonly TempTree _tree = new();
    private byte[] _itl = [];
    private TftpTestServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _itl = _tree.Write("ITLFile.tlv", 5438);
        _server = await TftpTestServer.StartAsync(s =>
        {
            s["Tftp:Root"] = _tree.Path;
            s["Tftp:RetransmitTimeoutMs"] = "200";
            s["Tftp:MaxRetransmitTimeoutMs"] = "400";
            s["Tftp:MaxRetransmits"] = "3";
            s["Tftp:MaxTransferLogLinesPerSecond"] = "50";
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _tree.Dispose();
    }

    [Fact]
    public async Task TinyAndRandomPackets_AreNeverAnswered_AndServingContinues()
    {
        using var socket = RawTftp.Socket(_server.V4);
        foreach (var tiny in new byte[][] { [], [0], [0, 1], [0, 1, 0] })
        {
            await socket.SendToAsync(tiny, _server.V4);
        }

        var random = new Random(5);
        for (var i = 0; i < 2000; i++)
        {
            var packet = new byte[random.Next(0, 600)];
            random.NextBytes(packet);
            if (packet.Length > 1 && packet[1] is 1 or 2)
            {
                packet[1] = 9; // keep the noise from being a well-formed request
            }

            await socket.SendToAsync(packet, _server.V4);
        }

        Assert.Null(await RawTftp.ReceiveAsync(socket, 500));
        Assert.Equal(_itl, await RawTftp.DownloadAsync(_server.V4, "ITLFile.tlv"));
        Assert.True(_server.Metrics.Malformed >= 2000);
        Assert.True(_server.Logs.Lines.Count(l => l.EventId == 1004) <= 10, "malformed-packet warnings are rate-limited");
    }

    [Fact]
    public async Task ForgedLineInFileName_LeavesOneEscapedLine()
    {
        // 00 01 "x\n[08:00:00 FTL] forged line" 00 "octet" 00, plus an option whose bytes are not UTF-8.
        byte[] rrq = [
            0, 1, .. "x\n[08:00:00 FTL] forged line"u8, 0, .. "octet"u8, 0,
            .. "blk\u00FFsize"u8, 0xFF, 0xFE, 0, .. "512\r\n"u8, 0,
        ];
        var before = _server.Logs.Lines.Count;

        var answer = await RawTftp.FirstAnswerAsync(_server.V4, rrq);

        Assert.Equal("ERROR 2 'Access violation'", RawTftp.Describe(answer?.Packet)); // control characters
        await ServerBehaviourTests.WaitForAsync(() => _server.Logs.Lines.Count > before, 5000);
        await Task.Delay(100, TestContext.Current.CancellationToken);
        var line = Assert.Single(_server.Logs.Lines.Skip(before));
        Assert.Equal(1001, line.EventId);
        Assert.Contains(@"file x\n[08:00:00 FTL] forged line served", line.Message, StringComparison.Ordinal);
        Assert.Contains(@"blkÿsize\xFF\xFE=512\r\n", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line.Message);
        Assert.DoesNotContain('\r', line.Message);
    }

    [Fact]
    public async Task MalformedFlood_FromOnePeer_FiveWarningsThenOneSummary()
    {
        using var socket = RawTftp.Socket(_server.V4);
        var random = new Random(1717);
        for (var i = 0; i < 1000; i++)
        {
            var packet = new byte[random.Next(4, 64)];
            random.NextBytes(packet);
            packet[0] = 0;
            packet[1] = (byte)random.Next(3, 256); // DATA, ACK, ERROR, OACK or unknown on the request port
            await socket.SendToAsync(packet, _server.V4);
        }

        await ServerBehaviourTests.WaitForAsync(() => _server.Metrics.Malformed >= 1000, 10_000);
        Assert.Equal(_itl, await RawTftp.DownloadAsync(_server.V4, "ITLFile.tlv"));
        await _server.Server.StopAsync(CancellationToken.None); // ends the window: the summary is written

        Assert.Equal(5, _server.Logs.Lines.Count(l => l.EventId == 1004));
        var summary = Assert.Single(_server.Logs.Lines, l => l.EventId == 1012);
        Assert.Contains("suppressed 995 similar malformed warning(s) from 127.0.0.1", summary.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TenThousandRrqsForMissingFiles_AreAnswered_AndLeaveNothingBehind()
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var started = Environment.TickCount64;
        var sockets = Enumerable.Range(0, 20).Select(_ => RawTftp.Socket(_server.V4)).ToArray();
        foreach (var socket in sockets)
        {
            socket.ReceiveBufferSize = 1024 * 1024;
        }

        try
        {
            var drain = sockets.Select(DrainAsync).ToArray();
            for (var i = 0; i < 10_000; i++)
            {
                await sockets[i % sockets.Length].SendToAsync(RawTftp.Rrq($"missing-{i}.bin"), _server.V4);
                if (i % 100 == 99)
                {
                    await Task.Delay(5, TestContext.Current.CancellationToken); // a flood, but one the loopback buffers can hold
                }
            }

            // Meanwhile a legitimate phone is served.
            Assert.Equal(_itl, await RawTftp.DownloadAsync(_server.V4, "ITLFile.tlv"));
            await ServerBehaviourTests.WaitForAsync(() => _server.Server.ActiveSessions == 0, 10_000);
            var answered = (await Task.WhenAll(drain)).Sum();
            Assert.True(answered > 9_000, $"{answered} not-found answers");
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }

        Assert.True(_server.Metrics.NotFound >= 9_000);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(after - before < 32 * 1024 * 1024, $"memory grew by {after - before} bytes");
        // 50 transfer lines a second plus one summary a second and a few rate-limited warnings.
        var seconds = (Environment.TickCount64 - started) / 1000.0;
        Assert.True(_server.Logs.Count < (52 * (seconds + 2)) + 20,
            $"{_server.Logs.Count} log lines for 10 000 requests in {seconds:0.0} s");
    }

    [Fact]
    public async Task RrqWithHundredOptions_IsServed()
    {
        var options = Enumerable.Range(0, 99).Select(i => ($"x-opt{i}", $"{i}")).Append(("blksize", "1024")).ToArray();
        var withBlksizeFirst = options.Reverse().ToArray();
        var answer = await RawTftp.FirstAnswerAsync(_server.V4, RawTftp.Rrq("ITLFile.tlv", "octet", withBlksizeFirst));
        Assert.Equal("OACK blksize=1024", RawTftp.Describe(answer?.Packet));
        var tail = await RawTftp.FirstAnswerAsync(_server.V4, RawTftp.Rrq("ITLFile.tlv", "octet", options));
        Assert.Equal("DATA block 1, 512 bytes", RawTftp.Describe(tail?.Packet)); // options past the cap are ignored
    }

    [Fact]
    public async Task ClientThatNeverAcks_TimesOut_WhileOthersAreServed()
    {
        using var silent = RawTftp.Socket(_server.V4);
        await silent.SendToAsync(RawTftp.Rrq("ITLFile.tlv"), _server.V4);
        Assert.NotNull(await RawTftp.ReceiveAsync(silent, 2000));

        Assert.Equal(_itl, await RawTftp.DownloadAsync(_server.V4, "ITLFile.tlv"));
        await ServerBehaviourTests.WaitForAsync(() => _server.Metrics.Timeouts == 1, 10_000);
        Assert.Equal(0, _server.Server.ActiveSessions);

        // 1 original + 3 retransmissions, then silence.
        var received = 1;
        while (await RawTftp.ReceiveAsync(silent, 300) is not null)
        {
            received++;
        }

        Assert.Equal(4, received);
        Assert.Contains(_server.Logs.Lines, l => l.EventId == 1001 && l.Message.Contains("timed-out", StringComparison.Ordinal));
    }

    private static async Task<int> DrainAsync(Socket socket)
    {
        var count = 0;
        while (await RawTftp.ReceiveAsync(socket, 1500) is { } answer)
        {
            if (RawTftp.Describe(answer.Packet) == "ERROR 1 'File not found'")
            {
                count++;
            }
        }

        return count;
    }
}
