using SbdServer.Core.CertificateStore;
using SbdServer.Core.Tvs;
using SbdServer.Tvs.Tests.Support;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Tvs;
using Xunit;

namespace SbdServer.Tvs.Tests;

/// <summary>Issue 17 on the TVS listener: floods of bad requests stay a few log lines, pipelined answers arrive.</summary>
public class HostileInputTests
{
    private const string Device = "CP-8861-SEPB000B4BA0AEE";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FiveHundredMalformedRequests_FromOneAddress_AtMostSixtyLines_GoodRequestStillAnswered()
    {
        var server = await TvsTestServer.StartAsync();
        var good = TestPki.SelfSigned("CN=good.example");
        server.Trust.Add(StoreRoles.TomcatTrust, good);
        var random = new Random(1700);
        var answeredDuringFlood = 0;
        try
        {
            for (var batch = 0; batch < 50; batch++)
            {
                await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => SendMalformedAsync(server.Port, Malformed(random))));
                if (batch % 10 == 5)
                {
                    await using var connection = await RawTvsConnection.OpenAsync(server.Port);
                    await connection.SendAsync(TvsCodec.Write(new TvsVerifyRequest((uint)batch, Device, good)));
                    var answer = await connection.ReadResponseAsync().WaitAsync(TimeSpan.FromSeconds(5), Ct);
                    Assert.Equal(TvsStatus.Valid, answer.Response.Status);
                    answeredDuringFlood++;
                }
            }

            await TvsServerTests.WaitForAsync(() => server.Counters.ProtocolViolations == 500);
        }
        finally
        {
            await server.DisposeAsync(); // flushes the window: the summary line is written now
        }

        Assert.Equal(5, answeredDuringFlood);
        Assert.Equal(500, server.Warnings.Events("tvs", "protocol"));
        Assert.Equal(495, server.Warnings.Suppressed("tvs", "protocol"));
        Assert.Equal(5, server.Logs.Count(2010));
        var summary = Assert.Single(server.Logs.Messages(2022));
        Assert.Contains("495", summary, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", summary, StringComparison.Ordinal);
        Assert.InRange(server.Logs.Events.Count, 1, 60);
    }

    [Fact]
    public async Task HundredFiftyPipelinedRequests_EveryAnswerSentArrives_ThenTheServerCloses()
    {
        await using var server = await TvsTestServer.StartAsync();
        var known = TestPki.Leaf("CN=pipelined.example", [0x17]);
        server.Trust.Add(StoreRoles.TomcatTrust, known);

        // Several connections: a reset loses a varying number of answers, so one lucky run proves little.
        for (var round = 0; round < 3; round++)
        {
            // A slow phone: a small receive window, one TLS record per request, and nothing read for a while, so
            // answers still wait in the server's send queue and requests in its receive queue when it is done.
            await using var connection = await RawTvsConnection.OpenAsync(server.Port, receiveBufferSize: 1024);
            var sending = Task.Run(async () =>
            {
                for (var i = 1; i <= 150; i++)
                {
                    await connection.SendAsync(TvsCodec.Write(new TvsVerifyRequest((uint)i, Device, known)));
                }
            }, Ct);
            await Task.Delay(300, Ct);
            var sessions = new List<uint>();
            while (await TryReadAnswerAsync(connection) is { } answer)
            {
                sessions.Add(answer);
            }

            Assert.Equal(Enumerable.Range(1, server.Options.MaxRequestsPerConnection).Select(i => (uint)i), sessions);
            await sending.WaitAsync(TimeSpan.FromSeconds(10), Ct); // the drain read what the cap left unanswered
        }
    }

    private static async Task<uint?> TryReadAnswerAsync(RawTvsConnection connection)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var head = new byte[TvsHeader.Size];
        var got = await connection.Tls.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, timeout.Token);
        if (got == 0)
        {
            return null; // a clean end: close_notify after the last answer (a reset throws IOException here)
        }

        Assert.Equal(head.Length, got);
        Assert.True(TvsHeader.TryRead(head, out var header));
        await connection.Tls.ReadExactlyAsync(new byte[header.BodyLength], timeout.Token);
        return header.SessionId;
    }

    private static async Task SendMalformedAsync(int port, byte[] bytes)
    {
        await using var connection = await RawTvsConnection.OpenAsync(port);
        await connection.SendAsync(bytes);
        Assert.Equal(0, await connection.ReadUntilClosedAsync(TimeSpan.FromSeconds(10)));
    }

    /// <summary>A request the server must refuse: a valid header over a broken body, or a broken header.</summary>
    internal static byte[] Malformed(Random random)
    {
        var body = new byte[random.Next(0, 40)];
        random.NextBytes(body);
        return random.Next(4) switch
        {
            0 => [0x58, 0x01, 0x01, 0x00, 0, 0, 0, 1, 0, 0], // protocol id
            1 => [0x57, 0x01, (byte)random.Next(5, 256), 0x00, 0, 0, 0, 1, 0, 0], // unknown command
            2 => [0x57, 0x01, 0x01, 0x00, 0, 0, 0, 1, 0, (byte)(body.Length + 3), 0x06, 0x00, (byte)body.Length, .. body],
            _ => [0x57, 0x01, 0x03, 0x00, 0, 0, 0, 1, 0, 7, 0x01, 0x00, 0x04, 0x01, 0x0A, 0x5B, 0x46], // "\n[F" name
        };
    }
}
