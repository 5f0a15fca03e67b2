using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SbdServer.Capf;
using SbdServer.Core.Capf;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>
/// <c>Capf:IdleTimeout</c> on a real host over real TLS: a phone that completes the handshake and then says nothing
/// is dropped by the listener kit, counted, and its session logged as timed out, while a phone that keeps talking is
/// served. The per-message deadline is set far away so that only the kit's idle timeout can end the silent one.
/// </summary>
public sealed class CapfIdleTimeoutTests(CapfIdleTimeoutTests.Factory factory) : IClassFixture<CapfIdleTimeoutTests.Factory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private int Port => factory.Services.GetRequiredService<CapfHostedService>().Server!.LocalEndPoint.Port;

    [Fact]
    public async Task SilentTlsClient_DroppedAfterTheIdleTimeout_CountedAndLoggedAsTimedOut()
    {
        var counters = factory.Services.GetRequiredService<CapfCounters>();
        var before = counters.IdleTimeouts;
        await using var silent = await CapfIntegrationTests.RawConnection.OpenAsync(Port);
        var started = TimeProvider.System.GetTimestamp();

        Assert.True(await silent.ClosedWithoutAnswerAsync());

        // Capf:ReadTimeout is 30 s here: a close well before it is the idle timeout's.
        Assert.InRange(TimeProvider.System.GetElapsedTime(started).TotalMilliseconds, 400, 9000);
        Assert.Equal(before + 1, counters.IdleTimeouts);
        using var admin = factory.Admin();
        var session = await WaitForSessionAsync(admin, silent.SessionId);
        Assert.Equal("TimedOut", session.GetProperty("outcome").GetString());
        Assert.Contains("Capf:IdleTimeout", session.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var metrics = await admin.GetStringAsync("/metrics", Ct);
        // Only the series' presence: the exporter's listener is process-wide, so in this test process other hosts'
        // meters of the same name report into it too and the value on the page may be theirs.
        Assert.Contains("# TYPE sbd_capf_idle_timeouts_total counter", metrics, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> WaitForSessionAsync(HttpClient admin, uint sessionId)
    {
        // The session record is written by the connection's task after the close the client saw.
        for (var attempt = 0; ; attempt++)
        {
            var sessions = (await admin.GetFromJsonAsync<JsonElement[]>("/api/capf/sessions?max=50", Ct))!;
            var match = sessions.Where(s => s.GetProperty("sessionId").GetUInt32() == sessionId).ToArray();
            if (match.Length == 1 || attempt == 100)
            {
                return Assert.Single(match);
            }

            await Task.Delay(50, Ct);
        }
    }

    /// <summary>A host whose CAPF idle limit is short and whose per-message deadline is long.</summary>
    public sealed class Factory : ApiFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Capf:ReadTimeout"] = "00:00:30",
            ["Capf:KeyGenerationTimeout"] = "00:00:00.200",
            ["Capf:IdleTimeout"] = "00:00:00.600",
        };
    }
}
