using System.Net;
using System.Net.Http.Json;
using Xunit;
using static SbdServer.Scenarios.Tests.ScenarioCluster;

namespace SbdServer.Scenarios.Tests;

/// <summary>
/// Scenarios 10 (one node at a time vs all at once) and 24 (host name change node by node) on three nodes
/// (127.0.0.11-13, CallManager group {cucm-pub, cucm-sub1, cucm-sub2}, TFTP on cucm-pub) in CallManager signer mode.
/// </summary>
public sealed class MultiNodeScenarios : ScenarioTestBase
{
    private const string Pub = "cucm-pub";
    private const string Sub1 = "cucm-sub1";
    private const string Sub2 = "cucm-sub2";

    [Fact]
    public async Task OneNodeAtATime_IsSurvivedThroughAnotherTvs_AllAtOnceLocks_RenamesNodeByNode()
    {
        var cluster = await ClusterAsync(3, "CallManager");
        var phone = await PhoneAsync(cluster, "0A0B0C0D0410");
        var first = await phone.BootAsync();
        Expect.Accepted(first, "ITL installed", "first boot");
        Assert.Contains(first.Log, l => l.Contains("TVS list: 127.0.0.11:2445, 127.0.0.12:2445, 127.0.0.13:2445", StringComparison.Ordinal));

        // 10: both certificates of the TFTP node: its own TVS no longer matches the phone's ITL, the next one vouches.
        var plan = await cluster.PlanAsync(Regenerate(Pub, "CallManager"), Regenerate(Pub, "TVS"));
        await cluster.RegenerateAsync(Pub, "CallManager");
        await cluster.RegenerateAsync(Pub, "TVS");
        var oneNode = await phone.BootAsync();
        Expect.Accepted(oneNode, "Trust List updated", "scenario 10, one node");
        Expect.TvsAnswered(oneNode, "scenario 10, one node", "127.0.0.12:2445");
        Assert.Contains(oneNode.Log, l => l.Contains("cert hash and hash in TL MISMATCH (127.0.0.11:2445)", StringComparison.Ordinal));
        Expect.PlannerAgrees(plan, phone, oneNode);
        await cluster.MarkPropagatedAsync();

        // 24: renaming a subscriber regenerates all its certificates; the signer (cucm-pub's CallManager) stays.
        plan = await cluster.PlanAsync(new { node = Sub1, action = "rename", fqdn = "cucm-sub1.new.example" });
        await RenameAsync(cluster, Sub1, "cucm-sub1.new.example");
        var renamedSub = await phone.BootAsync();
        Expect.Accepted(renamedSub, "Trust List updated", "scenario 24, subscriber renamed");
        Expect.NoTvs(renamedSub, "scenario 24, subscriber renamed");
        Expect.PlannerAgrees(plan, phone, renamedSub);
        await cluster.MarkPropagatedAsync();

        // Then the publisher (TFTP node): its new signer is vouched for by cucm-sub1's new TVS, already in the ITL.
        plan = await cluster.PlanAsync(new { node = Pub, action = "rename", fqdn = "cucm-pub.new.example" });
        await RenameAsync(cluster, Pub, "cucm-pub.new.example");
        var renamedPub = await phone.BootAsync();
        Expect.Accepted(renamedPub, "Trust List updated", "scenario 24, publisher renamed");
        Expect.TvsAnswered(renamedPub, "scenario 24, publisher renamed", "127.0.0.12:2445");
        Expect.PlannerAgrees(plan, phone, renamedPub);
        using (var callManager = await cluster.CertificateAsync(Pub, "CallManager"))
        {
            Assert.Contains("CN=cucm-pub.new.example", callManager.Subject.Replace(", ", ",", StringComparison.Ordinal), StringComparison.Ordinal);
        }

        await cluster.MarkPropagatedAsync();

        // 10 (and 9 for a group): the signer and every TVS of the phone's group at once: locked.
        object[] all = [Regenerate(Pub, "CallManager"), Regenerate(Pub, "TVS"), Regenerate(Sub1, "TVS"), Regenerate(Sub2, "TVS")];
        plan = await cluster.PlanAsync(all);
        await cluster.RegenerateAsync(Pub, "CallManager");
        foreach (var node in new[] { Pub, Sub1, Sub2 })
        {
            await cluster.RegenerateAsync(node, "TVS");
        }

        var allNodes = await phone.BootAsync();
        Expect.TrustFailed(allNodes, Expect.Locked, "scenario 10, all nodes at once");
        Expect.PlannerAgrees(plan, phone, allNodes);
        Assert.NotEqual(await phone.ServedItlMd5Async(cluster.Publisher), phone.InstalledItlMd5);
    }

    private static async Task RenameAsync(ScenarioCluster cluster, string node, string fqdn)
    {
        var response = await cluster.Admin.PutAsJsonAsync($"/api/nodes/{node}/host?confirm=true", new { fqdn }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        await cluster.WaitConvergedAsync();
    }
}
