using System.Security.Cryptography.X509Certificates;
using Xunit;

namespace SbdServer.Host.Tests.Fuzz;

/// <summary>
/// One real host process for the fuzz suite, logging at Information through its real console sink, so the suite
/// counts the lines an operator's disk would get and checks each one's start.
/// </summary>
public sealed class HostileHostFixture : IAsyncLifetime
{
    private string _dataDir = "";

    internal HostProcess Host { get; private set; } = null!;

    /// <summary>The node's CallManager certificate: a VERIFY of it is the "good request" on TVS.</summary>
    internal byte[] CallManager { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        _dataDir = DataDirInspector.NewDataDir();
        Host = HostProcess.Start(_dataDir, new Dictionary<string, string?>
        {
            ["Serilog__MinimumLevel__Default"] = "Information",
            ["Tftp__Address"] = "::", // the TFTP attacker sends from 127.0.0.2, the phone from 127.0.0.1
            // The admin API attacker shares 127.0.0.1 with the good client; the per-address limit has its own test.
            ["Sbd__Admin__AddressFailureLimit"] = "1000000",
            ["Sip__Enabled"] = "true",
            ["Sip__Address"] = "127.0.0.1",
            ["Sip__Port"] = "0",
            ["Sip__ReadTimeout"] = "00:00:02", // hostile clients that stop mid-request are waited out for this long
        });
        Assert.True(await Host.WaitHealthyAsync(TestContext.Current.CancellationToken), Host.Output);
        using var client = Host.Client();
        var pem = await client.GetStringAsync("/api/nodes/sbd-pub/certificates/CallManager/pem", TestContext.Current.CancellationToken);
        using var certificate = X509Certificate2.CreateFromPem(pem);
        CallManager = certificate.RawData;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        DataDirInspector.Delete(_dataDir);
    }
}
