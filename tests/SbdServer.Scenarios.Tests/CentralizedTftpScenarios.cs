using System.Diagnostics;
using SbdServer.Testing;
using Xunit;
using static SbdServer.Scenarios.Tests.ScenarioCluster;

namespace SbdServer.Scenarios.Tests;

/// <summary>
/// Scenario 18. Homogeneous half: a central TFTP server (central-cucm-pub on 127.0.0.21, its own cluster and
/// database) whose alternate file location is the home cluster's TFTP (cucm-pub on 127.0.0.11). The home cluster's
/// phones get everything through the central server, and what they get is the home cluster's signed files.
/// Heterogeneous half: the alternate location is a pre-8.0 leaf cluster, here a plain tftpd-hpa on 127.0.0.22 serving
/// unsigned configs and no ITL.
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

    [Fact]
    public async Task PreV8LeafBehindTheCentralTftp_ItsUnsignedConfigsAreRejected_UntilTheCentralClusterSetsRollback()
    {
        var tftpd = Requirements.Tool("in.tftpd", "/usr/sbin/in.tftpd");
        const string LeafAddress = "127.0.0.22";
        var locked = "0A0B0C0D1811";
        var fresh = "0A0B0C0D1812";
        var leafRoot = Directory.CreateTempSubdirectory("sbd-scenario-leaf-").FullName;
        try
        {
            // The leaf's files: unsigned configs naming its own CallManager, no CTL, no ITL (pre-8.0 has none).
            foreach (var mac in new[] { locked, fresh })
            {
                await File.WriteAllTextAsync(Path.Combine(leafRoot, $"SEP{mac}.cnf.xml"),
                    $"<device><fullConfig>true</fullConfig><devicePool><callManagerGroup><members><member priority=\"0\"><callManager>" +
                    $"<processNodeName>{LeafAddress}</processNodeName></callManager></member></members></callManagerGroup></devicePool>" +
                    "<loadInformation>SCCP42.8-5-4S</loadInformation></device>", Ct);
            }

            // tftpd-hpa drops to an unprivileged user and serves only world-readable files.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(leafRoot, (UnixFileMode)0b111_101_101);
                foreach (var file in Directory.GetFiles(leafRoot))
                {
                    File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100);
                }
            }

            using var leaf = Process.Start(new ProcessStartInfo(tftpd, ["--foreground", "--address", LeafAddress + ":69", "--secure", leafRoot])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!;
            try
            {
                var central = await ClusterAsync(1, "CallManager", firstAddress: 21, prefix: "central-",
                    extra: new Dictionary<string, string> { ["Tftp__AlternateLocations__0"] = LeafAddress + ":69" });
                var centralTftp = central.Publisher;

                // Without the rollback parameter the central TFTP hands the leaf's phone the central ITL; holding it,
                // the phone finds no signed config and rejects the leaf's unsigned one.
                var phone = await PhoneAsync(central, locked, register: false);
                var rejected = await phone.BootAsync(centralTftp);
                Expect.TrustFailed(rejected, $"File Auth Error SEP{locked}.cnf.xml", "scenario 18 heterogeneous, no rollback");
                Assert.Equal(await phone.ServedItlMd5Async(centralTftp), phone.InstalledItlMd5);
                Assert.Contains(rejected.Log, l => l.Contains($"SEP{locked}.cnf.xml is not signed", StringComparison.Ordinal));

                // "Prepare Cluster for Rollback to pre 8.0" on the central cluster: a blank, still signed ITL.
                await central.SetParameterAsync("PrepareClusterForRollbackToPre80", "True");
                var other = await PhoneAsync(central, fresh, register: false);
                var accepted = await other.BootAsync(centralTftp);
                Expect.Accepted(accepted, "scenario 18 heterogeneous, rollback, new phone");
                Assert.Equal($"SEP{fresh}.cnf.xml", accepted.ConfigFile);
                Assert.True(other.TrustList().ItlFile!.IsBlank, "the installed ITL is the blank rollback ITL");

                // The phone that rejected the leaf: its central ITL verifies the blank one, then the leaf's config goes.
                var recovered = await phone.BootAsync(centralTftp);
                Expect.Accepted(recovered, "scenario 18 heterogeneous, rollback, the phone that rejected before");
                Assert.Equal($"SEP{locked}.cnf.xml", recovered.ConfigFile);
                Expect.NoTvs(recovered, "scenario 18 heterogeneous, rollback");
            }
            finally
            {
                leaf.Kill(entireProcessTree: true);
                await leaf.WaitForExitAsync(Ct);
            }
        }
        finally
        {
            Directory.Delete(leafRoot, recursive: true);
        }
    }
}
