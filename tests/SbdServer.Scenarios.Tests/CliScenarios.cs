using System.Diagnostics;
using Xunit;
using static SbdServer.Scenarios.Tests.ScenarioCluster;

namespace SbdServer.Scenarios.Tests;

/// <summary>
/// <c>sbd phone boot</c> as QA runs it, in its own process with the environment of a shell: a TLS 1.0-only 7962
/// must reach TVS as a real one does (this test process's legacy OpenSSL setting is not passed on).
/// </summary>
public sealed class CliScenarios : ScenarioTestBase
{
    private const string Mac = "0A0B0C0D0790";

    [Fact]
    public async Task SbdPhoneBoot_7962_FollowsANewCallManagerThroughTvsOverTls10()
    {
        var cluster = await ClusterAsync(1, "CallManager");
        await cluster.AddDeviceAsync(Mac, "7962");
        var state = Path.Combine(cluster.Publisher.DataDir, "cli-7962");
        string[] boot = ["phone", "boot", "--tftp", cluster.Publisher.Address, "--mac", Mac, "--model", "7962", "--state", state];

        var (code, output) = await SbdWithoutLegacyTlsAsync(boot);
        Assert.True(code == 0, output);
        Assert.Contains("STATUS: ITL installed", output, StringComparison.Ordinal);

        // A new ITL signer: the phone must ask TVS, over TLS 1.0.
        var plan = await cluster.PlanAsync(Regenerate("cucm-pub", "CallManager"));
        Assert.True(plan["SEP" + Mac].KeepsTrust, plan["SEP" + Mac].Reason);
        await cluster.RegenerateAsync("cucm-pub", "CallManager");

        // An OPENSSL_CONF the user set wins: with the system's (TLS 1.0 refused) the 7962 cannot reach TVS.
        var (refusedCode, refused) = await SbdWithoutLegacyTlsAsync(boot, openSslConf: "/etc/ssl/openssl.cnf");
        Assert.True(refusedCode == 1, refused);
        Assert.Contains("STATUS: Trust List Update Failed", refused, StringComparison.Ordinal);

        (code, output) = await SbdWithoutLegacyTlsAsync(boot);
        Assert.True(code == 0, output);
        Assert.Contains("(Tls ", output, StringComparison.Ordinal);
        Assert.Contains("STATUS: Trust List updated", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> SbdWithoutLegacyTlsAsync(string[] args, string? openSslConf = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sbd.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("OPENSSL_CONF");
        if (openSslConf is not null)
        {
            start.Environment["OPENSSL_CONF"] = openSslConf;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
