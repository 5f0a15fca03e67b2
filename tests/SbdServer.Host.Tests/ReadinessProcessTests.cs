using System.Diagnostics;
using System.Net;
using System.Text.Json;
using SbdServer.Testing;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>/health/live and /health/ready of a real node on a real PostgreSQL that goes away and comes back.</summary>
public sealed class ReadinessProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ready_Turns503WithinTenSecondsOfPostgresStopping_And200WithinThirtyOfItsReturn_WhileLiveStays200()
    {
        await using var postgres = await PostgresInstance.StartAsync();
        var dataDir = DataDirInspector.NewDataDir();
        await using var host = HostProcess.Start(dataDir, new Dictionary<string, string?>
        {
            ["Sbd__Database__Provider"] = "Postgres",
            ["ConnectionStrings__Sbd"] = postgres.ConnectionString,
        });
        Assert.True(await host.WaitHealthyAsync(Ct), host.Output);
        using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };

        var (status, body) = await GetAsync(client, "/health/ready");
        Assert.True(status == HttpStatusCode.OK, body.RootElement.GetRawText());
        Assert.Equal("ready", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("listeners").GetProperty("status").GetString());

        await postgres.StopAsync();
        var stopped = Stopwatch.StartNew();
        (status, body) = await PollAsync(client, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(10));
        Assert.True(status == HttpStatusCode.ServiceUnavailable, $"still {status} {stopped.Elapsed} after PostgreSQL stopped:\n{host.Output}");
        var database = body.RootElement.GetProperty("checks").GetProperty("database");
        Assert.Equal("Unhealthy", database.GetProperty("status").GetString());
        Assert.Contains("unreachable", database.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("not ready", body.RootElement.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health", Ct)).StatusCode);

        await postgres.StartAgainAsync();
        var back = Stopwatch.StartNew();
        (status, _) = await PollAsync(client, HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        Assert.True(status == HttpStatusCode.OK, $"still {status} {back.Elapsed} after PostgreSQL returned:\n{host.Output}");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live", Ct)).StatusCode);
        Assert.False(host.HasExited);

        await host.DisposeAsync();
        DataDirInspector.Delete(dataDir);
    }

    private static async Task<(HttpStatusCode Status, JsonDocument Body)> PollAsync(HttpClient client, HttpStatusCode wanted, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var (status, body) = await GetAsync(client, "/health/ready");
            if (status == wanted || deadline.Elapsed >= within)
            {
                return (status, body);
            }

            await Task.Delay(250, Ct);
        }
    }

    private static async Task<(HttpStatusCode Status, JsonDocument Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Ct);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)));
    }
}
