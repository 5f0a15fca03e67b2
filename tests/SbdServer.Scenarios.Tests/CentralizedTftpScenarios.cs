using Xunit;
using static SbdServer.Scenarios.Tests.ScenarioCluster;

namespace SbdServer.Scenarios.Tests;

/// <summary>
/// Scenario 18, homogeneous half: a central TFTP server (central-cucm-pub on 127.0.0.21, its own cluster and
/// database) whose alternate file location is the home cluster's TFTP (cucm-pub on 127.0.0.11). The home cluster's
/// phones get everything through the central server, and what they get is the home cluster's signed files.
/// </summary>
public sealed class CentralizedTftpScenarios : ScenarioTestBase
{
    private const string Pub = "cucm-pub";

    [Fact]
    public async Task HomePhonesBootThroughTheCentralTftp_WithTheHomeClustersFiles_CentralPhonesWithTheirOwn()
    {
        var home = await ClusterAsync(1, "CallManager");
        var central = await ClusterAsync(1, "CallManager", firstAddress: 21, prefix: "central-",
            extra: new Dictionary<string, string> { ["Tftp__AlternateLocations__0"] = home.Publisher.Address + ":69" });
        var centralTftp = central.Publisher;
        var phone = await PhoneAsync(home, "0A0B0C0D1801");
        var local = await PhoneAsync(central, "0A0B0C0D1802");

        // The central node does not know the home phone: ITLSEP<MAC>.tlv and the config come from the home cluster.
        var first = await phone.BootAsync(centralTftp);
        Expect.Accepted(first, "ITL installed", "scenario 18, home phone via the central TFTP");
        Assert.Equal(await phone.ServedItlMd5Async(home.Publisher), phone.InstalledItlMd5);
        Assert.Equal($"SEP{phone.Mac}.cnf.xml.sgn", first.ConfigFile);
        Assert.Contains(first.Log, l => l.Contains($"TVS list: {home.Publisher.Address}:2445", StringComparison.Ordinal));

        // The central cluster's own phone gets the central cluster's files.
        var own = await local.BootAsync(centralTftp);
        Expect.Accepted(own, "ITL installed", "scenario 18, central phone");
        Assert.Equal(await local.ServedItlMd5Async(centralTftp), local.InstalledItlMd5);
        Assert.NotEqual(local.InstalledItlMd5, phone.InstalledItlMd5);

        // A change on the home cluster reaches its phones through the central server, vouched for by the home TVS.
        var plan = await home.PlanAsync(Regenerate(Pub, "CallManager"));
        await home.RegenerateAsync(Pub, "CallManager");
        var changed = await phone.BootAsync(centralTftp);
        Expect.Accepted(changed, "Trust List updated", "scenario 18, home CallManager regenerated");
        Expect.TvsAnswered(changed, "scenario 18, home CallManager regenerated", home.Publisher.Address + ":2445");
        Expect.PlannerAgrees(plan, phone, changed);
        Assert.Equal(await phone.ServedItlMd5Async(home.Publisher), phone.InstalledItlMd5);
    }
}
