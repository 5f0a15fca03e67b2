using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using SbdServer.Phone.Tvs;
using SbdServer.Tftp.Client;
using SbdServer.Wire.Tvs;
using Xunit;

namespace SbdServer.Host.Tests.Fuzz;

/// <summary>
/// Seeded fuzz regression suite (issue 17) against the real executable: for each listener a fixed number of
/// generated hostile inputs while a phone's good requests must keep being answered within a bound, then at most
/// <see cref="MaxLinesPer1000"/> log lines per 1 000 inputs, and every line starting the way only the server starts
/// one. Inputs carry "\n[08:00:00 FTL] forged" wherever a peer string reaches a log.
/// </summary>
public sealed partial class HostileFuzzTests(HostileHostFixture fixture) : IClassFixture<HostileHostFixture>
{
    /// <summary>The issue's bound: 500 malformed TVS requests may write at most 60 lines.</summary>
    private const int MaxLinesPer1000 = 120;

    private const string Forged = "\n[08:00:00 FTL] forged line";
    private const string Device = "CP-8861-SEPB000B4BA0AEE";
    private static readonly TimeSpan GoodBound = TimeSpan.FromSeconds(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HostProcess Host => fixture.Host;

    [Fact]
    public async Task Tvs_FiveHundredHostileConnections()
    {
        var random = new Random(17_001);
        await RunAsync(500, parallel: 4, linesPerGood: 1, i => TvsHostileAsync(random.Next(), i), async () =>
        {
            await using var client = await TvsClient.ConnectAsync("127.0.0.1", Host.TvsPort, new TvsClientOptions(), Ct);
            var answer = await client.VerifyAsync(Device, fixture.CallManager, Ct);
            Assert.Equal(TvsStatus.Valid, answer.Status);
        });
    }

    [Fact]
    public async Task Tftp_ThreeThousandHostileDatagrams()
    {
        var random = new Random(17_002);
        using var attacker = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        attacker.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        var server = new IPEndPoint(IPAddress.Loopback, Host.TftpPort);
        await RunAsync(3000, parallel: 1, linesPerGood: 1, async i =>
        {
            await attacker.SendToAsync(TftpHostile(random), server, Ct);
            if (i % 200 == 199)
            {
                await Task.Delay(20, Ct); // a flood the loopback buffers can hold: dropped datagrams prove nothing
            }
        }, async () =>
        {
            var file = await TftpDownloadClient.DownloadAsync(server, "ITLFile.tlv", TimeSpan.FromSeconds(1), 1 << 20, Ct);
            Assert.NotNull(file);
        });
    }

    [Fact]
    public async Task TftpHttp_ThousandHostileRequests()
    {
        var random = new Random(17_003);
        using var phone = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Host.TftpHttpPort}") };
        await RunAsync(1000, parallel: 4, linesPerGood: 1, _ => RawExchangeAsync(Host.TftpHttpPort, HttpHostile(random), tls: false),
            async () => Assert.NotEmpty(await phone.GetByteArrayAsync("/ITLFile.tlv", Ct)));
    }

    [Fact]
    public async Task PhoneServicesHttps_FiveHundredHostileConnections()
    {
        var random = new Random(17_004);
        using var handler = new SocketsHttpHandler
        {
#pragma warning disable CA5359 // A phone does not validate the chain: trust is TVS's decision.
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
#pragma warning restore CA5359
        };
        using var phone = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{Host.PhoneServicesPort}") };
        await RunAsync(500, parallel: 4, linesPerGood: 0, _ =>
        {
            var (bytes, tls) = HttpsHostile(random);
            return RawExchangeAsync(Host.PhoneServicesPort, bytes, tls);
        }, async () => Assert.Contains("CiscoIPPhoneInput", await phone.GetStringAsync("/ccmcip/xmldirectory.jsp", Ct), StringComparison.Ordinal));
    }

    [Fact]
    public async Task AdminApi_FiveHundredHostileRequests()
    {
        var random = new Random(17_005);
        using var admin = Host.Client();
        await RunAsync(500, parallel: 4, linesPerGood: 0, _ => RawExchangeAsync(Host.BaseAddress.Port, AdminHostile(random), tls: false),
            async () => Assert.Contains("sbd-pub", await admin.GetStringAsync("/api/nodes", Ct), StringComparison.Ordinal));
    }

    [Fact]
    public async Task SecureSip_FiveHundredHostileConnections()
    {
        var random = new Random(17_006);
        await RunAsync(500, parallel: 4, linesPerGood: 1, _ =>
        {
            var (bytes, tls) = SipHostile(random);
            return RawExchangeAsync(Host.SipPort, bytes, tls);
        }, async () =>
        {
            // A phone the cluster does not know: answered 404 (a secure device would also need its LSC or MIC).
            using var tcp = new TcpClient { NoDelay = true };
            await tcp.ConnectAsync("127.0.0.1", Host.SipPort, Ct);
            await using var tls = new SslStream(tcp.GetStream());
#pragma warning disable CA5359 // Which certificate answers is the CTL tests' business, not the fuzz suite's.
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "cucm",
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            }, Ct);
#pragma warning restore CA5359
            await tls.WriteAsync(Encoding.ASCII.GetBytes(SipRegister("SEP0A0B0C0DF00D")), Ct);
            var answer = new StringBuilder();
            var buffer = new byte[4096];
            while (!answer.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await tls.ReadAsync(buffer, Ct);
                Assert.True(read > 0, "the SIP port closed without answering: " + answer);
                answer.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }

            Assert.StartsWith("SIP/2.0 404 Not Found\r\n", answer.ToString(), StringComparison.Ordinal);
        });
    }

    /// <summary>
    /// Sends <paramref name="count"/> hostile inputs (<paramref name="parallel"/> at a time) while a phone repeats its
    /// good request every 200 ms, each within <see cref="GoodBound"/>; then checks the process, the line count
    /// (the <paramref name="linesPerGood"/> lines each good answer writes aside) and every line.
    /// </summary>
    private async Task RunAsync(int count, int parallel, int linesPerGood, Func<int, Task> hostile, Func<Task> good)
    {
        var before = Lines().Length;
        var next = -1;
        var abuse = Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await hostile(i);
            }
        }, Ct)));

        var answered = 0;
        do
        {
            await good().WaitAsync(GoodBound, Ct);
            answered++;
            await Task.WhenAny(abuse, Task.Delay(200, Ct));
        }
        while (!abuse.IsCompleted);

        await abuse;
        await Task.Delay(500, Ct); // the console sink writes from a queue
        Assert.False(Host.HasExited, Host.Output);
        await good().WaitAsync(GoodBound, Ct);
        answered++;

        var lines = Lines()[before..];
        var allowed = (MaxLinesPer1000 * count / 1000) + (linesPerGood * answered);
        Assert.True(lines.Length <= allowed,
            $"{lines.Length} log lines for {count} hostile inputs (at most {allowed}); {answered} good answers:\n{string.Join('\n', lines)}");
        foreach (var line in Lines())
        {
            Assert.True(ServerLine().IsMatch(line) || line.StartsWith("    ", StringComparison.Ordinal), $"a line not started by the server: {line}");
            Assert.DoesNotContain("[08:00:00 FTL] forged", line[..Math.Min(line.Length, 40)], StringComparison.Ordinal);
        }
    }

    private string[] Lines() => Host.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private async Task TvsHostileAsync(int seed, int index)
    {
        var random = new Random(seed);
        var kind = index % 5;
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", Host.TvsPort, Ct);
        Stream stream = tcp.GetStream();
        if (kind == 0)
        {
            // Not TLS at all: a handshake failure.
            await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /" + Forged + " HTTP/1.0\r\n\r\n"), Ct);
            await ReadUntilClosedAsync(stream);
            return;
        }

        var tls = new SslStream(stream);
        await using (tls)
        {
#pragma warning disable CA5359 // The attacker does not care who answers.
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "tvs",
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            }, Ct);
#pragma warning restore CA5359
            byte[] bytes = kind switch
            {
                1 => DeviceNameRequest(Forged + random.Next()),
                2 => [0x57, 0x01, 0x01, 0x00, 0, 0, 0, 1, 0xEA, 0x60], // declares 60 000 bytes
                3 => [0x57, 0x01, (byte)random.Next(5, 256), 0x00, 0, 0, 0, 1, 0, 0],
                _ => [0x57, 0x01, 0x01, 0x00, 0, 0, 0, 2, 0, 5, 0x01, 0x00, 0x09, 0x01], // truncated element
            };
            await tls.WriteAsync(bytes, Ct);
            await ReadUntilClosedAsync(tls);
        }
    }

    private static byte[] DeviceNameRequest(string name)
    {
        var value = Encoding.UTF8.GetBytes(name);
        var body = new byte[] { 0x01, 0x00, (byte)(value.Length + 1), 0x01 }.Concat(value).ToArray();
        return [0x57, 0x01, 0x03, 0x00, 0, 0, 0, 3, 0, (byte)body.Length, .. body];
    }

    private static byte[] TftpHostile(Random random)
    {
        byte[] Text(string s) => Encoding.UTF8.GetBytes(s);
        var noise = new byte[random.Next(1, 40)];
        random.NextBytes(noise);
        return (random.Next(6)) switch
        {
            0 => noise,
            1 => [0, 1, .. Text("x" + Forged + random.Next()), 0, .. Text("octet"), 0],
            2 => [0, 1, .. noise.Select(b => (byte)(b | 0x80)), 0, .. Text("octet"), 0],
            3 => [0, 1, .. Text("ITLFile.tlv"), 0, .. Text("octet"), 0, .. noise.Select(b => (byte)(b | 1)), 0, 0xFF, 0xFE, 0],
            4 => [0, 1, .. Text("ITLFile.tlv"), 0, .. Text("oct" + Forged), 0],
            _ => [0, (byte)random.Next(3, 7), .. noise],
        };
    }

    private static byte[] HttpHostile(Random random)
    {
        var noise = new byte[random.Next(1, 200)];
        random.NextBytes(noise);
        var request = random.Next(5) switch
        {
            0 => "GET /x%0A%5B08:00:00%20FTL%5D%20forged%20line HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
            1 => "GET /SEP\u0001.cnf.xml HTTP/1.1\r\nHost: a\r\nX-Evil: a\u0001b\u007F\r\nConnection: close\r\n\r\n",
            2 => "GET /" + new string('A', 20_000) + " HTTP/1.1\r\nHost: a\r\n\r\n",
            3 => "GET /ITLFile.tlv HTTP/1.1\r\nHost: a\r\nX-Big: " + new string('B', 40_000) + "\r\n\r\n",
            _ => null,
        };
        // Noise ends like a request head, so the server answers it instead of waiting for the rest.
        return request is null ? [.. noise, .. "\r\n\r\n"u8] : Encoding.Latin1.GetBytes(request);
    }

    private static (byte[] Bytes, bool Tls) HttpsHostile(Random random)
    {
        var noise = new byte[random.Next(8, 200)];
        random.NextBytes(noise);
        return random.Next(4) switch
        {
            0 => (Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), false),
            1 => ([0x16, 0x03, 0x01, 0x00, (byte)noise.Length, .. noise], false),
            2 => (Encoding.ASCII.GetBytes("GET /ccmcip/authenticate.jsp?UserID=" + Uri.EscapeDataString("u" + Forged)
                + "&Password=x&devicename=" + Uri.EscapeDataString("SEP" + Forged) + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"), true),
            _ => ([.. noise, .. "\r\n\r\n"u8], true),
        };
    }

    private static string SipRegister(string device, string extra = "") =>
        $"REGISTER sip:cucm SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK1\r\nFrom: <sip:{device}@cucm>;tag=1\r\n"
        + $"To: <sip:{device}@cucm>\r\nCall-ID: 1@fuzz\r\nCSeq: 1 REGISTER\r\nContact: <sip:{device}@127.0.0.1:5061;transport=tls>\r\n"
        + extra + "Content-Length: 0\r\n\r\n";

    /// <summary>Hostile SIP: each ends in a close by the server (a refusal that keeps the connection is followed by garbage).</summary>
    private static (byte[] Bytes, bool Tls) SipHostile(Random random)
    {
        var noise = new byte[random.Next(8, 200)];
        random.NextBytes(noise);
        var device = "SEP" + Convert.ToHexString(BitConverter.GetBytes(random.NextInt64())[..6]);
        var text = random.Next(7) switch
        {
            0 => null, // noise without TLS: a failed handshake
            1 => SipRegister(device, "X-Evil: a" + Forged + "\r\n"),
            2 => SipRegister(device).Replace("REGISTER sip:", "REGISTER" + Forged + " sip:", StringComparison.Ordinal),
            3 => SipRegister(device).Replace("Content-Length: 0", "Content-Length: 99999999999", StringComparison.Ordinal),
            4 => SipRegister(device, "X-Big: " + new string('B', 9000) + "\r\n"),
            5 => string.Concat(Enumerable.Range(0, 20).Select(i => SipRegister(device, $"X-N: {i}\u0085\r\n"))),
            _ => string.Concat(Enumerable.Range(0, 20).Select(_ => SipRegister(device))) + "garbage" + Forged + "\r\n\r\n",
        };
        return text is null ? ([.. noise, .. "\r\n\r\n"u8], false) : (Encoding.UTF8.GetBytes(text), true);
    }

    private static byte[] AdminHostile(Random random)
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("admin" + Forged + ":guess" + random.Next()));
        var request = random.Next(4) switch
        {
            0 => $"GET /api/nodes HTTP/1.1\r\nHost: a\r\nAuthorization: Basic {basic}\r\nConnection: close\r\n\r\n",
            1 => "GET /api/nodes HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer x%0A[08:00:00 FTL]\r\nConnection: close\r\n\r\n",
            2 => "GET /api/x%0A%5B08:00:00%20FTL%5D HTTP/1.1\r\nHost: a\r\nAuthorization: Basic !!!\r\nConnection: close\r\n\r\n",
            _ => "POST /api/auth/token HTTP/1.1\r\nHost: a\r\nAuthorization: Digest \u0001\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        };
        return Encoding.Latin1.GetBytes(request);
    }

    /// <summary>Connects, optionally does TLS, sends <paramref name="bytes"/> and reads until the server closes.</summary>
    private static async Task RawExchangeAsync(int port, byte[] bytes, bool tls)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port, Ct);
        Stream stream = tcp.GetStream();
        SslStream? secure = null;
        try
        {
            if (tls)
            {
                secure = new SslStream(stream);
#pragma warning disable CA5359 // The attacker does not care who answers.
                await secure.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = "phone",
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                }, Ct);
#pragma warning restore CA5359
                stream = secure;
            }

            await stream.WriteAsync(bytes, Ct);
            await ReadUntilClosedAsync(stream);
        }
        catch (IOException)
        {
            // The server closed or reset first: that is an answer to garbage.
        }
        finally
        {
            if (secure is not null)
            {
                await secure.DisposeAsync();
            }
        }
    }

    private static async Task ReadUntilClosedAsync(Stream stream)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(3)); // keep-alive answers are not waited out
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException && !Ct.IsCancellationRequested)
        {
            // Reset, or still open after the answer: both are fine for the attacker.
        }
    }

    [GeneratedRegex(@"^\[\d\d:\d\d:\d\d (VRB|DBG|INF|WRN|ERR|FTL)\] [A-Za-z0-9_.]+: ")]
    private static partial Regex ServerLine();
}
