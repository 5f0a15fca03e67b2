using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SbdServer.Core.Tftp;
using SbdServer.Testing;
using SbdServer.Tftp.Sources;
using SbdServer.Tftp.Tests.Infrastructure;
using Xunit;

namespace SbdServer.Tftp.Tests;

/// <summary>Centralized TFTP: files this node lacks come from an ordered list of remote TFTP servers.</summary>
public sealed class AlternateLocationTests : IDisposable
{
    private readonly TempTree _central = new();
    private readonly TempTree _remote = new();
    private readonly TempTree _third = new();

    public void Dispose()
    {
        _central.Dispose();
        _remote.Dispose();
        _third.Dispose();
    }

    [Fact]
    public async Task MissingLocally_ComesFromTheFirstLocationThatHasIt_PastADeadOne()
    {
        var local = _central.Write("ITLFile.tlv", 100, 1);
        var remoteOnly = _remote.Write("SEP0011AA000001.cnf.xml.sgn", 7600, 2);
        var thirdOnly = _third.Write("Ringlist.xml", 3000, 3);
        await using var remote = await TftpTestServer.StartAsync(s => s["Tftp:Root"] = _remote.Path);
        await using var third = await TftpTestServer.StartAsync(s => s["Tftp:Root"] = _third.Path);
        var dead = FreePorts.Udp();
        await using var central = await TftpTestServer.StartAsync(s =>
        {
            s["Tftp:Root"] = _central.Path;
            s["Tftp:AlternateTimeoutMs"] = "300";
            s["Tftp:AlternateLocations:0"] = $"127.0.0.1:{dead}";
            s["Tftp:AlternateLocations:1"] = $"127.0.0.1:{remote.Port}";
            s["Tftp:AlternateLocations:2"] = $"[::1]:{third.Port}";
        });

        Assert.Equal(local, await RawTftp.DownloadAsync(central.V4, "ITLFile.tlv"));
        Assert.Equal(remoteOnly, await RawTftp.DownloadAsync(central.V4, "SEP0011AA000001.cnf.xml.sgn", ("blksize", "1428")));
        Assert.Equal(thirdOnly, await RawTftp.DownloadAsync(central.V4, "Ringlist.xml"));
        await Assert.ThrowsAsync<FileNotFoundException>(() => RawTftp.DownloadAsync(central.V4, "nowhere.bin"));
        Assert.Contains(central.Logs.Lines, l => l.EventId == 1007 && l.Message.Contains($"127.0.0.1:{dead}", StringComparison.Ordinal));

        // The HTTP side serves the same catalogue.
        using var http = new HttpClient();
        var body = await http.GetByteArrayAsync($"http://127.0.0.1:{central.HttpPort}/SEP0011AA000001.cnf.xml.sgn",
            TestContext.Current.CancellationToken);
        Assert.Equal(remoteOnly, body);
    }

    [Fact]
    public async Task DeadLocation_IsSkippedAfterATimeout_AndMissesAreRememberedBriefly()
    {
        _remote.Write("a.bin", 10, 1);
        var b = _remote.Write("b.bin", 20, 2);
        await using var remote = await TftpTestServer.StartAsync(s => s["Tftp:Root"] = _remote.Path);

        // A dead location that drops what it gets (a firewall, a powered-off server) and counts it.
        using var dead = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        dead.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var source = new AlternateLocationsFileSource(
            [$"127.0.0.1:{((IPEndPoint)dead.LocalEndPoint!).Port}", $"127.0.0.1:{remote.Port}"],
            TimeSpan.FromMilliseconds(300), 1 << 20, clock, NullLogger.Instance);

        var watch = Stopwatch.StartNew();
        using (var first = await source.TryOpenAsync(Request("a.bin"), TestContext.Current.CancellationToken))
        {
            Assert.NotNull(first);
        }

        Assert.True(watch.ElapsedMilliseconds >= 800, "the dead location was tried first (3 x 300 ms)");
        Assert.Equal(3, Drain(dead));
        using (var second = await source.TryOpenAsync(Request("b.bin"), TestContext.Current.CancellationToken))
        {
            Assert.NotNull(second);
            Assert.Equal(20, second.Length);
        }

        Assert.Equal(0, Drain(dead)); // skipped while it is in backoff

        Assert.Null(await source.TryOpenAsync(Request("late.bin"), TestContext.Current.CancellationToken));
        _remote.Write("late.bin", 30, 3);
        Assert.Null(await source.TryOpenAsync(Request("late.bin"), TestContext.Current.CancellationToken));
        clock.Advance(AlternateLocationsFileSource.NegativeCacheTime + TimeSpan.FromSeconds(1));
        using var late = await source.TryOpenAsync(Request("late.bin"), TestContext.Current.CancellationToken);
        Assert.NotNull(late);
        Assert.Equal(b.Length + 10, late.Length);
    }

    [Fact]
    public async Task TftpdHpa_AsAnAlternateLocation()
    {
        var tftpd = Requirements.Tool("in.tftpd", "/usr/sbin/in.tftpd");
        var remoteOnly = _remote.Write("firmware.loads", 70_000, 4);
        if (!OperatingSystem.IsWindows())
        {
            // tftpd-hpa drops to an unprivileged user and only serves world-readable files
            File.SetUnixFileMode(_remote.Path, (UnixFileMode)0b111_101_101);
            File.SetUnixFileMode(Path.Combine(_remote.Path, "firmware.loads"),
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        var port = FreePorts.Udp();
        using var process = Process.Start(new ProcessStartInfo(tftpd,
            ["--foreground", "--address", $"127.0.0.1:{port}", "--secure", _remote.Path])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        try
        {
            await Task.Delay(300, TestContext.Current.CancellationToken);
            await using var central = await TftpTestServer.StartAsync(s =>
            {
                s["Tftp:Root"] = _central.Path;
                s["Tftp:AlternateLocations:0"] = $"127.0.0.1:{port}";
            });
            Assert.Equal(remoteOnly, await RawTftp.DownloadAsync(central.V4, "firmware.loads"));
            await Assert.ThrowsAsync<FileNotFoundException>(() => RawTftp.DownloadAsync(central.V4, "absent.bin"));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    private static TftpFileRequest Request(string name) => new(name, IPAddress.Loopback, TftpChannel.Tftp);

    /// <summary>RRQs that reached <paramref name="socket"/> so far.</summary>
    private static int Drain(Socket socket)
    {
        var buffer = new byte[1024];
        var count = 0;
        while (socket.Available > 0)
        {
            var length = socket.Receive(buffer);
            count += length > 2 && buffer[1] == 1 ? 1 : 0;
        }

        return count;
    }
}
