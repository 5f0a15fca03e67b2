using Xunit;
using static SbdServer.Scenarios.Tests.ScenarioCluster;

namespace SbdServer.Scenarios.Tests;

/// <summary>Scenarios 12 and 13: the 12.x bulk ITL reset (<c>sbd itl reset localkey</c>) on a one-node cluster.</summary>
public sealed class BulkResetScenarios : ScenarioTestBase
{
    private const string Pub = "cucm-pub";

    [Fact]
    public async Task RegenerateItlRecoveryWithAReset_ThenRecoverLockedPhonesWithOne()
    {
        var cluster = await ClusterAsync(1, "ITLRecovery");
        var phone = await PhoneAsync(cluster, "0A0B0C0D0120");
        Expect.Accepted(await phone.BootAsync(), "ITL installed", "first boot");

        // 12: utils itl reset localkey: the ITL is signed by CallManager, which the phone's ITL holds as a SAST.
        var plan = await cluster.PlanAsync(ItlReset("localkey"));
        var (code, output) = await SbdCli.ItlResetAsync(cluster.Publisher, "localkey");
        Assert.True(code == 0, output);
        Assert.Contains("ITL signer: CallManager", output, StringComparison.Ordinal);
        await cluster.WaitConvergedAsync();
        var reset = await phone.BootAsync();
        Expect.Accepted(reset, "Trust List updated", "scenario 12, reset ITL");
        Expect.NoTvs(reset, "scenario 12, reset ITL");
        Expect.PlannerAgrees(plan, phone, reset);
        await cluster.MarkPropagatedAsync();

        // Regenerating ITLRecovery during the reset: the CallManager signer is unchanged; the new ITLRecovery arrives
        // in the (still CallManager-signed) ITL.
        plan = await cluster.PlanAsync(Regenerate(Pub, "ITLRecovery"));
        await cluster.RegenerateAsync(Pub, "ITLRecovery");
        var regenerated = await phone.BootAsync();
        Expect.Accepted(regenerated, "Trust List updated", "scenario 12, new ITLRecovery during the reset");
        Expect.NoTvs(regenerated, "scenario 12, new ITLRecovery during the reset");
        Expect.PlannerAgrees(plan, phone, regenerated);
        using (var itlRecovery = await cluster.CertificateAsync(Pub, "ITLRecovery"))
        {
            Assert.Contains(phone.TrustList().ItlFile!.Records, r => r.Certificate is { } der && der.AsSpan().SequenceEqual(itlRecovery.RawData));
        }

        await cluster.MarkPropagatedAsync();

        // Restart TFTP (end the reset): signed by the new ITLRecovery, which the phone now holds.
        plan = await cluster.PlanAsync(ItlReset("none"));
        (code, output) = await SbdCli.ItlResetAsync(cluster.Publisher, "end");
        Assert.True(code == 0, output);
        Assert.Contains("ITL signer: ITLRecovery", output, StringComparison.Ordinal);
        await cluster.WaitConvergedAsync();
        var ended = await phone.BootAsync();
        Expect.Accepted(ended, "Trust List updated", "scenario 12, after the reset");
        Expect.NoTvs(ended, "scenario 12, after the reset");
        Expect.PlannerAgrees(plan, phone, ended);
        await cluster.MarkPropagatedAsync();

        // Without the reset step the phone only takes a new ITLRecovery because TVS vouches for it.
        plan = await cluster.PlanAsync(Regenerate(Pub, "ITLRecovery"));
        await cluster.RegenerateAsync(Pub, "ITLRecovery");
        var direct = await phone.BootAsync();
        Expect.Accepted(direct, "Trust List updated", "scenario 12 without the reset");
        Expect.TvsAnswered(direct, "scenario 12 without the reset", "127.0.0.11:2445");
        Expect.PlannerAgrees(plan, phone, direct);
        await cluster.MarkPropagatedAsync();

        // 13: lost trust: ITLRecovery and TVS regenerated together lock the phone.
        plan = await cluster.PlanAsync(Regenerate(Pub, "ITLRecovery"), Regenerate(Pub, "TVS"));
        await cluster.RegenerateAsync(Pub, "ITLRecovery");
        await cluster.RegenerateAsync(Pub, "TVS");
        var locked = await phone.BootAsync();
        Expect.TrustFailed(locked, Expect.Locked, "scenario 13, before the reset");
        Expect.PlannerAgrees(plan, phone, locked);

        // The planner cannot tell which ITL a phone holds once it reported another one: it calls the phone at risk
        // rather than promise an outcome (what the bulk reset then does for it is the scenario's point).
        plan = await cluster.PlanAsync(ItlReset("localkey"));
        Assert.StartsWith("at risk", plan[phone.Name].Reason, StringComparison.Ordinal);

        (code, output) = await SbdCli.ItlResetAsync(cluster.Publisher, "localkey");
        Assert.True(code == 0, output);
        await cluster.WaitConvergedAsync();

        // "show itl" says which key signed the reset file: the CallManager SAST, not the ITLRecovery.
        var resetFile = Path.Combine(cluster.Publisher.DataDir, "reset-ITLFile.tlv");
        await File.WriteAllBytesAsync(resetFile, await cluster.Admin.GetByteArrayAsync("/api/files/ITLFile.tlv", Ct), Ct);
        var (showCode, show) = await SbdCli.RunAsync("tlv", "show", resetFile);
        Assert.True(showCode == 0, show);
        Assert.Contains("This etoken was used to sign the ITL file.", show, StringComparison.Ordinal);
        Assert.Contains("This etoken was not used to sign the ITL file.", show, StringComparison.Ordinal);

        var recovered = await phone.BootAsync();
        Expect.Accepted(recovered, "Trust List updated", "scenario 13, reset ITL");
        Expect.NoTvs(recovered, "scenario 13, reset ITL");
        await cluster.MarkPropagatedAsync();

        plan = await cluster.PlanAsync(ItlReset("none"));
        (code, output) = await SbdCli.ItlResetAsync(cluster.Publisher, "end");
        Assert.True(code == 0, output);
        await cluster.WaitConvergedAsync();
        var normal = await phone.BootAsync();
        Expect.Accepted(normal, "Trust List updated", "scenario 13, normal ITL again");
        Expect.NoTvs(normal, "scenario 13, normal ITL again");
        Expect.PlannerAgrees(plan, phone, normal);
        Assert.Equal(await phone.ServedItlMd5Async(cluster.Publisher), phone.InstalledItlMd5);
    }
}
