using System.Net;
using System.Net.Sockets;
using SbdServer.Core.Hosting;
using SbdServer.Testing;
using SbdServer.Tftp.Tests.Infrastructure;
using Xunit;

namespace SbdServer.Tftp.Tests;

/// <summary>Global and per-client limits, single-port mode, the data-port range and bind failures.</summary>
public sealed class LimitsAndModesTests : IDisposable
{
    private readonly TempTree _tree = new();
    private readonly byte[] _itl;

    public LimitsAndModesTests()
    {
        _itl = _tree.Write("ITLFile.tlv", 5438);
    }

    public void Dispose() => _tree.Dispose();

    [Fact]
    public async Task GlobalLimit_Busy_AnswersError0_UntilASlotFrees()
    {
        await using var server = await TftpTestServer.StartAsync(s =>
        {
            s["Tftp:Root"] = _tree.Path;
            s["Tftp:MaxSessions"] = "2";
            s["Tftp:OverLimitAction"] = "Busy";
        });
        using var a = await HoldTransferAsync(server.V4);
        using var b = await HoldTransferAsync(server.V4);

        var refused = await RawTftp.FirstAnswerAsync(server.V4, RawTftp.Rrq("ITLFile.tlv"));
        Assert.Equal("ERROR 0 'Server busy, try again later'", RawTftp.Describe(refused?.Packet));
        Assert.Contains(server.Logs.Lines, l => l.EventId == 1003 && l.Message.Contains("Tftp:MaxSessions", StringComparison.Ordinal));

        a.Dispose(); // the client goes away without a word...
        await SendErrorAsync(b); // ...or says so: either way the slots come back
        await ServerBehaviourTests.WaitForAsync(() => server.Server.ActiveSessions <= 1, 10_000);
        Assert.Equal(_itl, await RawTftp.DownloadAsync(server.V4, "ITLFile.tlv"));
    }

    [Fact]
    public async Task PerClientLimit_Drop_StaysSilent()
    {
        await using var server = await TftpTestServer.StartAsync(s =>
        {
            s["Tftp:Root"] = _tree.Path;
            s["Tftp:MaxSessionsPerClient"] = "1";
        });
        using var held = await HoldTransferAsync(server.V4);
        var refused = await RawTftp.FirstAnswerAsync(server.V4, RawTftp.Rrq("ITLFile.tlv"), 700);
        Assert.Null(refused);

        // Another address of the same machine is another client.
        Assert.Equal(_itl, await RawTftp.DownloadAsync(server.V6, "ITLFile.tlv"));
        Assert.Equal(1, server.Metrics.Rejected);
    }

    [Fact]
    public async Task PerClientRate_LimitsNewRequests()
    {
        await using var server = await TftpTestServer.StartAsync(s =>
        {
            s["Tftp:Root"] = _tree.Path;
            s["Tftp:MaxRequestsPerSecondPerClient"] = "5";
        });
        using var socket = RawTftp.Socket(server.V4);
        for (var i = 0; i < 30; i++)
        {
            await socket.SendToAsync(RawTftp.Rrq($"missing-{i}"), server.V4);
        }

        var answers = 0;
        while (await RawTftp.ReceiveAsync(socket, 500) is not null)
        {
            answers++;
        }

        // A burst of two seconds' worth, then refused (a few more tokens accrue while a loaded machine sends).
        Assert.InRange(answers, 10, 16);
        Assert.True(server.Metrics.Rejected >= 14);
    }

    [Fact]
    public async Task SinglePortMode_ServesFromTheListeningPort()
    {
        await using var server = await TftpTestServer.StartAsync(s =>
        {
            s["Tftp:Root"] = _tree.Path;
            s["Tftp:SinglePort"] = "true";
        });
        var first = await RawTftp.FirstAnswerAsync(server.V4, RawTftp.Rrq("ITLFile.tlv"));
        Assert.Equal(server.Port, first?.From.Port);
        Assert.Equal(_itl, await RawTftp.DownloadAsync(server.V4, "ITLFile.tlv", ("blksize", "1428")));
        Assert.Equal(_itl, await RawTftp.DownloadAsync(server.V6, "ITLFile.tlv"));
        await Assert.ThrowsAsync<FileNotFoundException>(() => RawTftp.DownloadAsync(server.V4, "nope"));
    }

    [Fact]
    public async Task DataPortRange_IsUsedForTransfers()
    {
        var low = FreePorts.UdpBlock(4);
        await using var server = await TftpTestServer.StartAsync(s =>
        {
            s["Tftp:Root"] = _tree.Path;
            s["Tftp:DataPortMin"] = low.ToString();
            s["Tftp:DataPortMax"] = (low + 3).ToString();
        });
        for (var i = 0; i < 6; i++)
        {
            var answer = await RawTftp.FirstAnswerAsync(server.V4, RawTftp.Rrq("ITLFile.tlv"));
            Assert.InRange(answer!.Value.From.Port, low, low + 3);
        }

        Assert.Equal(_itl, await RawTftp.DownloadAsync(server.V4, "ITLFile.tlv"));
    }

    [Fact]
    public async Task Shutdown_WithTransfersInFlight_IsPromptAndFreesThePort()
    {
        // A port outside the ephemeral range: nothing else can take it between the stop and the restart.
        var server = await TftpTestServer.StartAsync(s =>
        {
            s["Tftp:Root"] = _tree.Path;
            s["Tftp:Port"] = FreePorts.Udp().ToString();
        });
        var port = server.Port;
        using var held = await HoldTransferAsync(server.V4);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await server.DisposeAsync();
        Assert.True(watch.ElapsedMilliseconds < 5000, $"stop took {watch.ElapsedMilliseconds} ms");
        Assert.Equal(0, server.Server.ActiveSessions);

        await using var again = await TftpTestServer.StartAsync(s =>
        {
            s["Tftp:Root"] = _tree.Path;
            s["Tftp:Port"] = port.ToString();
        });
        Assert.Equal(_itl, await RawTftp.DownloadAsync(again.V4, "ITLFile.tlv"));
    }

    [Fact]
    public async Task UdpPortTaken_HostStartFails_NamingThePortAndTheFix()
    {
        using var squatter = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { DualMode = true };
        squatter.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        var port = ((IPEndPoint)squatter.LocalEndPoint!).Port;

        var ex = await Assert.ThrowsAsync<ListenerBindException>(() => TftpTestServer.StartAsync(s =>
        {
            s["Tftp:Root"] = _tree.Path;
            s["Tftp:Port"] = port.ToString();
        }));
        Assert.Contains($"port {port}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("already in use", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Tftp:Port", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpPortTaken_HostStartFails_NamingThePortAndTheFix()
    {
        using var squatter = new TcpListener(IPAddress.IPv6Any, 0);
        squatter.Server.DualMode = true;
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var ex = await Assert.ThrowsAsync<ListenerBindException>(() => TftpTestServer.StartAsync(s =>
        {
            s["Tftp:Root"] = _tree.Path;
            s["Tftp:HttpPort"] = port.ToString();
        }));
        Assert.Contains($"port {port}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Tftp:HttpPort", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Tftp:Address", "not-an-ip")]
    [InlineData("Tftp:MaxBlockSize", "100")]
    [InlineData("Tftp:DataPortMin", "5000")]
    [InlineData("Tftp:AlternateLocations:0", "host:99999")]
    public async Task BadConfiguration_StopsStartup(string key, string value)
    {
        var ex = await Record.ExceptionAsync(() => TftpTestServer.StartAsync(s => s[key] = value));
        Assert.NotNull(ex);
        Assert.Contains(key.Split(':')[1].Split(':')[0], ex.Message, StringComparison.Ordinal);
    }

    private static async Task<Socket> HoldTransferAsync(IPEndPoint server)
    {
        var socket = RawTftp.Socket(server);
        await socket.SendToAsync(RawTftp.Rrq("ITLFile.tlv"), server);
        var first = await RawTftp.ReceiveAsync(socket, 2000);
        Assert.NotNull(first);
        socket.Connect(first.Value.From);
        return socket;
    }

    private static async Task SendErrorAsync(Socket socket) =>
        await socket.SendAsync(new byte[] { 0, 5, 0, 0, (byte)'x', 0 });
}
