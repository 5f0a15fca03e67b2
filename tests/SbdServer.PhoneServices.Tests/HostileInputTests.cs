using System.Net.Sockets;
using System.Text;
using SbdServer.PhoneServices.Tests.Support;
using SbdServer.Testing;
using Xunit;

namespace SbdServer.PhoneServices.Tests;

/// <summary>Issue 17 on HTTPS 8443: failed handshakes are counted and rate-limited, peer text is escaped.</summary>
public sealed class HostileInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoHundredFailedHandshakes_FiveLinesThenOneSummary_AllCounted_WhilePhonesAreServed()
    {
        var logs = new CollectingLogger<PhoneServicesListener>();
        var server = await RunningServer.StartAsync(logger: logs);
        var random = new Random(1707);
        try
        {
            using var client = server.CreateClient();
            for (var i = 0; i < 200; i++)
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", server.Port, Ct);
                var garbage = i % 2 == 0
                    ? Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n") // plain HTTP to the TLS port
                    : RandomHello(random); // a record header that claims to be a handshake, then noise
                await tcp.GetStream().WriteAsync(garbage, Ct);
                await ReadUntilClosedAsync(tcp.GetStream());
                if (i % 50 == 25)
                {
                    var answer = await client.Http.GetStringAsync("/ccmcip/xmldirectory.jsp", Ct);
                    Assert.Contains("CiscoIPPhoneInput", answer, StringComparison.Ordinal);
                }
            }

            await WaitForAsync(() => server.Warnings.Events(PhoneServicesListener.WarningListener, "handshake_failed") >= 200);
        }
        finally
        {
            await server.DisposeAsync();
        }

        Assert.Equal(200, server.Warnings.Events(PhoneServicesListener.WarningListener, "handshake_failed"));
        Assert.Equal(5, logs.Messages(7007).Count());
        var summary = Assert.Single(logs.Messages(7008));
        Assert.Contains("suppressed 195 similar handshake_failed line(s) from 127.0.0.1", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgedLineInUserName_IsLoggedEscaped()
    {
        var logs = new CollectingLogger<PhoneServicesListener>();
        await using var server = await RunningServer.StartAsync(logger: logs);
        using var client = server.CreateClient();

        var query = "?UserID=" + Uri.EscapeDataString("x\n[08:00:00 FTL] forged\u202E") + "&Password=p&devicename="
            + Uri.EscapeDataString("SEP\r\n");
        var answer = await client.Http.GetStringAsync("/ccmcip/authenticate.jsp" + query, Ct);

        Assert.Equal("UN-AUTHORIZED", answer);
        var line = Assert.Single(logs.Messages(7003));
        Assert.Contains(@"user x\n[08:00:00 FTL] forged\u202E, device SEP\r\n from", line, StringComparison.Ordinal);
    }

    private static byte[] RandomHello(Random random)
    {
        var noise = new byte[random.Next(8, 200)];
        random.NextBytes(noise);
        return [0x16, 0x03, 0x01, 0x00, (byte)noise.Length, .. noise];
    }

    private static async Task ReadUntilClosedAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new byte[1024];
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (IOException)
        {
            // A reset is a close too.
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(10), "condition not met in 10 s");
            await Task.Delay(20, Ct);
        }
    }
}
