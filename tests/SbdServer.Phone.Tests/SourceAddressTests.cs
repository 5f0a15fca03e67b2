using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using SbdServer.Phone.Farm;
using SbdServer.Phone.Net;
using SbdServer.Wire.Tftp;
using Xunit;

namespace SbdServer.Phone.Tests;

/// <summary>
/// A phone's own address (<see cref="PhoneOptions.SourceAddress"/>) and a farm's address per phone. The server limits
/// transfers and requests per client address, so a farm whose phones all send from 127.0.0.1 is throttled like one
/// client (the cause of the TFTP-only farm's timeouts in docs/benchmarks.md); with an address per phone, as real phones
/// have, the same limits let every phone through.
/// </summary>
public sealed class SourceAddressTests(SourceAddressTests.StrictTftpNode node) : IClassFixture<SourceAddressTests.StrictTftpNode>, IDisposable
{
    private const int FarmSize = 6;
    private const string FarmMac = "0A1B2C00F000";

    private readonly string _root = Directory.CreateTempSubdirectory("sbd-phone-src-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>One transfer at a time per client address and 3 requests/s (burst 6): enough for one phone's boot.</summary>
    public sealed class StrictTftpNode : NodeFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Tftp:MaxSessionsPerClient", "1");
            builder.UseSetting("Tftp:MaxRequestsPerSecondPerClient", "3");
        }

        protected override async Task OnStartedAsync()
        {
            for (var i = 0; i < FarmSize; i++)
            {
                await CreateDeviceAsync("SEP" + PhoneOptions.AddToMac(FarmMac, i));
            }
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Farm_OnOneAddress_IsThrottledAsOneClient_WithAnAddressPerPhone_EveryPhoneBoots()
    {
        var shared = await FarmAsync("shared", sourceStart: null);
        Assert.True(shared.Failed > 0, "six phones on one address passed a one-transfer-per-client limit");
        Assert.Contains("TFTP Timeout", shared.Outcomes.Keys);

        var distinct = await FarmAsync("distinct", IPAddress.Parse("127.21.0.1"));
        Assert.True(distinct.Failed == 0, string.Join('\n', distinct.FirstFailures));
        Assert.Equal(FarmSize, distinct.Outcomes["ITL installed"]);
    }

    [Fact]
    public async Task TftpClient_SendsFromThePhonesAddress()
    {
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var client = new TftpFileClient(new TftpClientOptions { Timeout = TimeSpan.FromSeconds(2), Retries = 1 }, IPAddress.Parse("127.21.1.7"));

        var fetch = client.GetAsync((IPEndPoint)server.LocalEndPoint!, "CTLSEP0A1B2C00F100.tlv", Ct);
        var buffer = new byte[600];
        var request = await server.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), Ct);
        var from = (IPEndPoint)request.RemoteEndPoint;
        var error = new byte[64];
        var length = TftpPacket.WriteError(error, TftpErrorCode.FileNotFound, "File not found");
        await server.SendToAsync(error.AsMemory(0, length), from, Ct);

        Assert.Equal(IPAddress.Parse("127.21.1.7"), from.Address);
        Assert.False((await fetch).IsFound);
    }

    [Fact]
    public async Task HttpClient_ConnectsFromThePhonesAddress()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            using var http = PhoneFileFetcher.CreateHttpClient(4, IPAddress.Parse("127.21.1.8"));
            var get = http.GetAsync($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/ITLFile.tlv", Ct);
            using var accepted = await listener.AcceptTcpClientAsync(Ct);
            var stream = accepted.GetStream();
            var buffer = new byte[4096];
            var head = new StringBuilder();
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                head.Append(Encoding.ASCII.GetString(buffer, 0, await stream.ReadAsync(buffer, Ct)));
            }

            await stream.WriteAsync("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), Ct);

            Assert.Equal(IPAddress.Parse("127.21.1.8"), ((IPEndPoint)accepted.Client.RemoteEndPoint!).Address);
            using var response = await get;
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task Farm_SourceRange_MustFitLoopbackAndBeLocal()
    {
        var options = Options("range", IPAddress.Parse("127.255.255.250"));
        Assert.Equal(IPAddress.Parse("127.255.255.255"), options.SourceAddressOf(5));
        Assert.Throws<ArgumentException>(() => options.SourceAddressOf(6));
        Assert.Throws<ArgumentException>(() => (options with { SourceAddressStart = IPAddress.IPv6Loopback }).SourceAddressOf(0));
        Assert.Null((options with { SourceAddressStart = null }).SourceAddressOf(3));

        // More phones than the range holds, or an address this machine does not have (TEST-NET-1): refused before booting.
        await Assert.ThrowsAsync<ArgumentException>(() => PhoneFarm.RunAsync(options with { Count = 7 }, cancellationToken: Ct));
        var foreign = await Assert.ThrowsAsync<ArgumentException>(
            () => PhoneFarm.RunAsync(options with { SourceAddressStart = IPAddress.Parse("192.0.2.1") }, cancellationToken: Ct));
        Assert.Contains("192.0.2.1", foreign.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "range", "SEP" + FarmMac)));
    }

    private Task<FarmReport> FarmAsync(string name, IPAddress? sourceStart) =>
        PhoneFarm.RunAsync(Options(name, sourceStart), cancellationToken: Ct);

    private FarmOptions Options(string name, IPAddress? sourceStart) => new()
    {
        MacStart = FarmMac,
        Count = FarmSize,
        Concurrency = FarmSize,
        StateRoot = Path.Combine(_root, name),
        SourceAddressStart = sourceStart,

        // Short retransmissions: a refused phone gives up in under a second instead of five.
        Template = node.Phone(FarmMac, tftpOnly: true) with { Tftp = new TftpClientOptions { Timeout = TimeSpan.FromMilliseconds(250), Retries = 2 } },
    };
}
