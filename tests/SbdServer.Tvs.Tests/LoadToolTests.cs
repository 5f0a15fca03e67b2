using System.Text.Json;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Tvs;
using SbdServer.Testing;
using SbdServer.Tvs.Tests.Support;
using Xunit;

namespace SbdServer.Tvs.Tests;

/// <summary>The shared load generator (../shared/bench/tvs_load.py) against a real listener.</summary>
public class LoadToolTests
{
    [Fact]
    public async Task TvsLoad_FiftyIdleConnections_OthersAnsweredAtFullSpeed()
    {
        var python = Requirements.Tool("python3");
        var tool = SharedFiles.Require("bench/tvs_load.py");

        // A server that let silent clients hold up others would stall for the whole handshake timeout (30 s).
        await using var server = await TvsTestServer.StartAsync(o => o.HandshakeTimeout = TimeSpan.FromSeconds(30));
        var (certPath, jsonPath) = await KnownCertificateAsync(server);

        var (exit, stdout, stderr) = await ProcessRunner.RunAsync(
            python,
            [tool, "--port", server.Port.ToString(), "--cert", certPath, "--expect", "valid", "--requests", "300",
                "--concurrency", "8", "--idle", "50", "--time-limit", "60", "--json", jsonPath],
            null,
            TimeSpan.FromSeconds(90));

        var result = JsonDocument.Parse(await File.ReadAllTextAsync(jsonPath, TestContext.Current.CancellationToken)).RootElement;
        Assert.True(exit == 0, System.Text.Encoding.UTF8.GetString(stdout) + stderr);
        Assert.Equal(300, result.GetProperty("ok").GetInt32());
        Assert.InRange(result.GetProperty("p99_ms").GetDouble(), 0, 2000);
    }

    [Fact]
    public async Task TvsLoad_Tls1WithLegacyMode_Valid()
    {
        var python = Requirements.Tool("python3");
        var tool = SharedFiles.Require("bench/tvs_load.py");
        await using var server = await TvsTestServer.StartAsync(o => o.AllowTls10 = true);
        var (certPath, jsonPath) = await KnownCertificateAsync(server);

        var (exit, stdout, stderr) = await ProcessRunner.RunAsync(
            python,
            [tool, "--port", server.Port.ToString(), "--cert", certPath, "--expect", "valid", "--requests", "40",
                "--concurrency", "4", "--tls1", "--json", jsonPath],
            null,
            TimeSpan.FromSeconds(60));

        Assert.True(exit == 0, System.Text.Encoding.UTF8.GetString(stdout) + stderr);
        Assert.Equal(40, JsonDocument.Parse(await File.ReadAllTextAsync(jsonPath, TestContext.Current.CancellationToken))
            .RootElement.GetProperty("ok").GetInt32());
    }

    private static async Task<(string CertPath, string JsonPath)> KnownCertificateAsync(TvsTestServer server)
    {
        var der = TestPki.SelfSigned("CN=load.example");
        server.Trust.Add(StoreRoles.TomcatTrust, der);
        var dir = Directory.CreateTempSubdirectory("sbd-tvs-load-").FullName;
        var certPath = Path.Combine(dir, "known.pem");
        await File.WriteAllTextAsync(certPath, TestPki.Pem(der), TestContext.Current.CancellationToken);
        return (certPath, Path.Combine(dir, "result.json"));
    }
}
