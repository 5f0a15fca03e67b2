using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using SbdServer.Core.Tftp;
using SbdServer.Testing;
using SbdServer.Tftp.Sources;
using SbdServer.Tftp.Tests.Infrastructure;
using Xunit;

namespace SbdServer.Tftp.Tests;

/// <summary>Session rules over real loopback sockets: TIDs, duplicates, strangers, IPv6, logging, records.</summary>
public sealed class ServerBehaviourTests : IAsyncLifetime
{
    private readonly TempTree _tree = new();
    private readonly RecordingObserver _observer = new();
    private byte[] _itl = [];
    private TftpTestServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _itl = _tree.Write("ITLFile.tlv", 5438);
        _tree.Write("big.bin", 100_000);
        _server = await TftpTestServer.StartAsync(
            s => s["Tftp:Root"] = _tree.Path,
            services => services.AddSingleton<ITftpServedFileObserver>(_observer));
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _tree.Dispose();
    }

    [Fact]
    public async Task Data_ComesFromANewPortPerTransfer_OnTheRequestedAddress()
    {
        var first = await RawTftp.FirstAnswerAsync(_server.V4, RawTftp.Rrq("ITLFile.tlv"));
        var second = await RawTftp.FirstAnswerAsync(_server.V4, RawTftp.Rrq("ITLFile.tlv"));
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotEqual(_server.Port, first.Value.From.Port);
        Assert.NotEqual(first.Value.From.Port, second.Value.From.Port);
        Assert.Equal(IPAddress.Loopback, first.Value.From.Address);
    }

    [Fact]
    public async Task Ipv6_FullDownload()
    {
        var bytes = await RawTftp.DownloadAsync(_server.V6, "ITLFile.tlv", ("blksize", "1428"));
        Assert.Equal(_itl, bytes);
    }

    [Fact]
    public async Task Ipv6_BlockSizeCappedBelowTheIpv4Cap()
    {
        var answer = await RawTftp.FirstAnswerAsync(_server.V6, RawTftp.Rrq("ITLFile.tlv", "octet", ("blksize", "1468")));
        Assert.Equal("OACK blksize=1448", RawTftp.Describe(answer?.Packet));
    }

    [Fact]
    public async Task DuplicateRrq_RetriggersTheFirstPacket_WithoutASecondTransfer()
    {
        var started = _server.Metrics.TransfersStarted;
        using var socket = RawTftp.Socket(_server.V4);
        var rrq = RawTftp.Rrq("big.bin");
        await socket.SendToAsync(rrq, _server.V4);
        var first = await RawTftp.ReceiveAsync(socket, 2000);
        await socket.SendToAsync(rrq, _server.V4);
        var again = await RawTftp.ReceiveAsync(socket, 2000);
        Assert.NotNull(first);
        Assert.NotNull(again);
        Assert.Equal("DATA block 1, 512 bytes", RawTftp.Describe(again.Value.Packet));
        Assert.Equal(first.Value.From, again.Value.From); // same TID: the same transfer
        Assert.Equal(started + 1, _server.Metrics.TransfersStarted);
        Assert.True(_server.Metrics.DuplicateRequests >= 1);
        await socket.SendToAsync(new byte[] { 0, 5, 0, 0, 0 }, first.Value.From);
    }

    [Fact]
    public async Task ForeignTid_GetsError5_AndTheTransferGoesOn()
    {
        using var socket = RawTftp.Socket(_server.V4);
        await socket.SendToAsync(RawTftp.Rrq("ITLFile.tlv"), _server.V4);
        var first = await RawTftp.ReceiveAsync(socket, 2000);
        Assert.NotNull(first);

        using var stranger = RawTftp.Socket(_server.V4);
        await stranger.SendToAsync(RawTftp.Ack(1), first.Value.From);
        var rebuff = await RawTftp.ReceiveAsync(stranger, 2000);
        Assert.Equal("ERROR 5 'Unknown transfer ID'", RawTftp.Describe(rebuff?.Packet));

        await socket.SendToAsync(RawTftp.Ack(1), first.Value.From);
        var next = await RawTftp.ReceiveAsync(socket, 2000);
        Assert.Equal("DATA block 2, 512 bytes", RawTftp.Describe(next?.Packet));
        await socket.SendToAsync(new byte[] { 0, 5, 0, 0, 0 }, first.Value.From);
    }

    [Fact]
    public async Task FinishedTransfers_CloseTheirPorts_CompletedOrEndedByTheClient()
    {
        // Only the I/O thread closes a transfer's socket; one it forgot would leak a port per transfer in a storm.
        using var socket = RawTftp.Socket(_server.V4);
        await socket.SendToAsync(RawTftp.Rrq("ITLFile.tlv"), _server.V4);
        IPEndPoint? completedTid = null;
        for (ushort block = 1; ; block++)
        {
            var data = await RawTftp.ReceiveAsync(socket, 2000);
            Assert.NotNull(data);
            completedTid ??= data.Value.From;
            await socket.SendToAsync(RawTftp.Ack(block), completedTid);
            if (data.Value.Packet.Length < 4 + 512)
            {
                break;
            }
        }

        await socket.SendToAsync(RawTftp.Rrq("big.bin"), _server.V4);
        var first = await RawTftp.ReceiveAsync(socket, 2000);
        Assert.NotNull(first);
        var abortedTid = first.Value.From;
        await socket.SendToAsync(new byte[] { 0, 5, 0, 0, 0 }, abortedTid); // ERROR 0 from the client

        await WaitForAsync(() => PortIsFree(completedTid.Port) && PortIsFree(abortedTid.Port), 5000);
        Assert.True(PortIsFree(completedTid.Port), $"port {completedTid.Port} of the completed transfer is still bound");
        Assert.True(PortIsFree(abortedTid.Port), $"port {abortedTid.Port} of the ended transfer is still bound");
    }

    [Fact]
    public async Task CompletedTransfer_IsRecordedWithHashes_AndLoggedOnce()
    {
        var client = RawTftp.Socket(_server.V4);
        client.Dispose();
        var bytes = await RawTftp.DownloadAsync(_server.V4, "ITLSEP0011AA00BEEF.tlv");
        Assert.Equal(_itl, bytes); // unknown device: the cluster ITL

        await WaitForAsync(() => !_observer.Served.IsEmpty);
        var served = Assert.Single(_observer.Served);
        Assert.Equal("ITLSEP0011AA00BEEF.tlv", served.RequestedName);
        Assert.Equal("ITLFile.tlv", served.ServedName);
        Assert.Equal("static", served.Source);
        Assert.Equal(TftpChannel.Tftp, served.Channel);
        Assert.Equal(5438, served.Length);
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(_itl)), served.Hashes.Sha1);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(_itl)), served.Hashes.Md5);

        var lines = _server.Logs.Lines.Where(l => l.EventId == 1001).ToList();
        var line = Assert.Single(lines);
        Assert.Contains("completed", line.Message, StringComparison.Ordinal);
        Assert.Contains("ITLSEP0011AA00BEEF.tlv", line.Message, StringComparison.Ordinal);
        Assert.Contains("bytes 5438", line.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Netascii_ConvertsLineEnds()
    {
        _tree.Write("text.txt", "a\nb\r\n"u8.ToArray());
        using var socket = RawTftp.Socket(_server.V4);
        await socket.SendToAsync(RawTftp.Rrq("text.txt", "netascii"), _server.V4);
        var data = await RawTftp.ReceiveAsync(socket, 2000);
        Assert.NotNull(data);
        Assert.Equal("610D0A620D000D0A", Convert.ToHexString(data.Value.Packet.AsSpan(4)));
        await socket.SendToAsync(RawTftp.Ack(1), data.Value.From);
    }

    [Fact]
    public async Task Metrics_CountTransfers()
    {
        await RawTftp.DownloadAsync(_server.V4, "ITLFile.tlv");
        await Assert.ThrowsAsync<FileNotFoundException>(() => RawTftp.DownloadAsync(_server.V4, "nope.bin"));
        await WaitForAsync(() => _server.Metrics.TransfersCompleted >= 1 && _server.Server.ActiveSessions == 0);
        var instruments = MeterSnapshot.Read(_server.Metrics.Meter);
        Assert.Equal(1, instruments["sbd_tftp_transfers_completed"]);
        Assert.Equal(1, instruments["sbd_tftp_file_not_found"]);
        Assert.Equal(0, instruments["sbd_tftp_active_sessions"]);
        Assert.Equal(0, instruments["sbd_tftp_rejected{limit=\"global_sessions\"}"]);
    }

    [Fact]
    public async Task GeneratedSource_IsAskedBeforeTheStaticRoot_AndRegenerationIsSeenAtOnce()
    {
        var generated = new InMemoryTftpFileSource("generated");
        await using var server = await TftpTestServer.StartAsync(
            s => s["Tftp:Root"] = _tree.Path,
            services => services.AddSingleton<ITftpFileSource>(generated));
        Assert.Equal(_itl, await RawTftp.DownloadAsync(server.V4, "ITLFile.tlv")); // not generated yet: static

        generated.Set("ITLFile.tlv", [1, 2, 3]);
        Assert.Equal([1, 2, 3], await RawTftp.DownloadAsync(server.V4, "ITLSEP0011AA000001.tlv"));
        generated.Set("ITLFile.tlv", [4, 5]);
        Assert.Equal([4, 5], await RawTftp.DownloadAsync(server.V4, "itlfile.tlv"));
    }

    private static bool PortIsFree(int port)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    internal static async Task WaitForAsync(Func<bool> condition, int timeoutMs = 5000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail("condition not met in time");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
