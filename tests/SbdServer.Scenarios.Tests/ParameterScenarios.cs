using Xunit;
using static SbdServer.Scenarios.Tests.ScenarioCluster;

namespace SbdServer.Scenarios.Tests;

/// <summary>
/// Scenarios 30 (SHA-512 switch), 29 (a phone offline during changes), 15 (rollback set too late) and 14 (rollback)
/// on a one-node cluster in CallManager signer mode, one after the other on the same phones.
/// </summary>
public sealed class ParameterScenarios : ScenarioTestBase
{
    private const string Pub = "cucm-pub";
    private const string Rollback = "PrepareClusterForRollbackToPre80";

    [Fact]
    public async Task Sha512_OfflinePhone_RollbackTooLate_Rollback()
    {
        var cluster = await ClusterAsync(1, "CallManager");
        var modern = await PhoneAsync(cluster, "0A0B0C0D0301", model: "8861");
        var sha1Only = await PhoneAsync(cluster, "0A0B0C0D0302", model: "7962");
        var offline = await PhoneAsync(cluster, "0A0B0C0D0303", model: "8861");
        foreach (var phone in new[] { modern, sha1Only, offline })
        {
            Expect.Accepted(await phone.BootAsync(), "ITL installed", "first boot of " + phone.Name);
        }

        // 30: SHA-512 signatures lock out the models that only verify SHA-1.
        var plan = await cluster.PlanAsync(Parameter("TftpFileSignatureAlgorithm", "SHA-512"));
        await cluster.SetParameterAsync("TftpFileSignatureAlgorithm", "SHA-512");
        var modernBoot = await modern.BootAsync();
        var sha1Boot = await sha1Only.BootAsync();
        Expect.Accepted(modernBoot, "Trust List updated", "scenario 30, 8861");
        Expect.TrustFailed(sha1Boot, Expect.Locked, "scenario 30, 7962");
        Expect.PlannerAgrees(plan, modern, modernBoot);
        Expect.PlannerAgrees(plan, sha1Only, sha1Boot);
        await cluster.SetParameterAsync("TftpFileSignatureAlgorithm", "SHA-1");
        Expect.Accepted(await sha1Only.BootAsync(), "scenario 30, back to SHA-1");
        Expect.Accepted(await modern.BootAsync(), "scenario 30, back to SHA-1");
        await cluster.MarkPropagatedAsync();

        // 29: the offline phone misses the TVS regeneration; the CallManager regeneration after it strands only that phone.
        await cluster.RegenerateAsync(Pub, "TVS");
        Expect.Accepted(await modern.BootAsync(), "Trust List updated", "scenario 29, online phone after TVS");
        Expect.Accepted(await sha1Only.BootAsync(), "Trust List updated", "scenario 29, online phone after TVS");
        await cluster.MarkPropagatedAsync();
        plan = await cluster.PlanAsync(Regenerate(Pub, "CallManager"));
        await cluster.RegenerateAsync(Pub, "CallManager");
        var online = await modern.BootAsync();
        var stranded = await offline.BootAsync();
        Expect.Accepted(online, "Trust List updated", "scenario 29, online phone");
        Expect.TvsAnswered(online, "scenario 29, online phone", "127.0.0.11:2445");
        Expect.TrustFailed(stranded, Expect.Locked, "scenario 29, offline phone");
        Expect.PlannerAgrees(plan, modern, online);
        Expect.PlannerAgrees(plan, offline, stranded);
        var tls10 = await sha1Only.BootAsync();
        Expect.Accepted(tls10, "Trust List updated", "scenario 29, second online phone");
        Expect.TvsAnswered(tls10, "scenario 29, second online phone (TLS 1.0)", "127.0.0.11:2445");
        Assert.Contains(tls10.Log, l => l.Contains("TVS 127.0.0.11:2445 (Tls ", StringComparison.Ordinal));
        Expect.PlannerAgrees(plan, sha1Only, tls10);
        await cluster.MarkPropagatedAsync();

        // 15: a phone locked by CallManager + TVS together never installs the rollback ITL set afterwards.
        await cluster.RegenerateAsync(Pub, "CallManager");
        await cluster.RegenerateAsync(Pub, "TVS");
        var locked = await sha1Only.BootAsync();
        Expect.TrustFailed(locked, Expect.Locked, "scenario 15, locked before the rollback");
        modern.Erase(); // the other phone's trust list is deleted by hand and starts over
        Expect.Accepted(await modern.BootAsync(), "ITL installed", "scenario 15, erased phone");
        await cluster.MarkPropagatedAsync();
        plan = await cluster.PlanAsync(Parameter(Rollback, "True"));
        await cluster.SetParameterAsync(Rollback, "True");
        var tooLate = await sha1Only.BootAsync();
        Expect.TrustFailed(tooLate, Expect.Locked, "scenario 15, rollback too late");
        Expect.PlannerAgrees(plan, sha1Only, tooLate);

        // 14: the trusting phone installs the blank ITL; HTTPS services stop; any new signer is accepted.
        var blank = await modern.BootAsync();
        Expect.Accepted(blank, "Trust List updated", "scenario 14, rollback ITL");
        Expect.PlannerAgrees(plan, modern, blank);
        Assert.True(modern.TrustList().ItlFile!.IsBlank);
        Assert.All(modern.TrustList().ItlFile!.Records, r => Assert.Null(r.Role));
        var https = await modern.HttpsAsync($"https://{cluster.Publisher.Address}:8443/ccmcip/xmldirectory.jsp");
        Assert.False(https.Trusted, string.Join('\n', https.Log));

        await cluster.MarkPropagatedAsync();
        plan = await cluster.PlanAsync(Regenerate(Pub, "CallManager"), Regenerate(Pub, "TVS"));
        await cluster.RegenerateAsync(Pub, "CallManager");
        await cluster.RegenerateAsync(Pub, "TVS");
        var anySigner = await modern.BootAsync();
        // A blank ITL is no trust (formats.md 5, rule 1): the next ITL is taken on first use, hence "ITL installed".
        Expect.Accepted(anySigner, "ITL installed", "scenario 14, new signer under the blank ITL");
        Expect.NoTvs(anySigner, "scenario 14, new signer under the blank ITL");
        Assert.Equal(await modern.ServedItlMd5Async(cluster.Publisher), modern.InstalledItlMd5);
        Expect.PlannerAgrees(plan, modern, anySigner);

        // Back to False: the normal ITL again (another reset), which the blank ITL lets in.
        await cluster.MarkPropagatedAsync();
        plan = await cluster.PlanAsync(Parameter(Rollback, "False"));
        await cluster.SetParameterAsync(Rollback, "False");
        var normal = await modern.BootAsync();
        Expect.Accepted(normal, "ITL installed", "scenario 14, rollback off");
        Expect.PlannerAgrees(plan, modern, normal);
        Assert.False(modern.TrustList().ItlFile!.IsBlank);
        Assert.Equal(await modern.ServedItlMd5Async(cluster.Publisher), modern.InstalledItlMd5);
        https = await modern.HttpsAsync($"https://{cluster.Publisher.Address}:8443/ccmcip/xmldirectory.jsp");
        Assert.True(https.Trusted, string.Join('\n', https.Log));
    }
}
