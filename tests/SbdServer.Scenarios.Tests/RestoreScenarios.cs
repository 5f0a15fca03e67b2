using System.Net;
using System.Security.Cryptography;
using Xunit;
using static SbdServer.Scenarios.Tests.ScenarioCluster;

namespace SbdServer.Scenarios.Tests;

/// <summary>Scenario 25 (CSCtn50405): restoring a backup that lacks CallManager.pem onto a rebuilt node.</summary>
public sealed class RestoreScenarios : ScenarioTestBase
{
    private const string Pub = "cucm-pub";

    [Fact]
    public async Task BackupWithoutCallManagerKey_OnARebuiltNode_LocksPhones_RestoreWithTheKeyRecoversThem()
    {
        // CallManager signer mode: the node's CallManager signs the ITL, as in the 8.x clusters of CSCtn50405.
        var cluster = await ClusterAsync(1, "CallManager");
        var phone = await PhoneAsync(cluster, "0A0B0C0D0250");
        Expect.Accepted(await phone.BootAsync(), "ITL installed", "first boot");
        await cluster.MarkPropagatedAsync();

        var dir = cluster.Publisher.DataDir;
        var keyless = Path.Combine(dir, "keyless.sbdbak");
        var (code, output) = await SbdCli.AdminAsync(cluster.Publisher, "backup", "--out", keyless, "--omit-keys", "CallManager");
        Assert.True(code == 0, output);
        var full = await (await cluster.Admin.PostAsync("/api/backup", null, Ct)).Content.ReadAsByteArrayAsync(Ct);

        // Refusing such an archive stays the default, and it changes nothing.
        var refused = await cluster.Admin.PostAsync("/api/restore", new ByteArrayContent(await File.ReadAllBytesAsync(keyless, Ct)), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("lacks the private key of cucm-pub/CallManager", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // The node is rebuilt: a new CallManager key and certificate. The phone follows through TVS (scenario 7).
        var plan = await cluster.PlanAsync(Regenerate(Pub, "CallManager"));
        await cluster.RegenerateAsync(Pub, "CallManager");
        var rebuilt = await phone.BootAsync();
        Expect.Accepted(rebuilt, "Trust List updated", "node rebuilt");
        Expect.PlannerAgrees(plan, phone, rebuilt);
        await cluster.MarkPropagatedAsync();

        // The preview warns before the restore applies; the CLI prints the same verdicts.
        var (preview, warnings) = await cluster.RestorePreviewAsync(await File.ReadAllBytesAsync(keyless, Ct), "keep-current");
        Assert.Contains(warnings, w => w.Contains("cucm-pub/CallManager", StringComparison.Ordinal) && w.Contains("CSCtn50405", StringComparison.Ordinal));
        (code, output) = await SbdCli.AdminAsync(cluster.Publisher, "restore", keyless, "--missing-keys", "keep-current", "--preview");
        Assert.True(code == 0, output);
        Assert.Contains(phone.Name + "\tLOSES TRUST", output, StringComparison.Ordinal);

        (code, output) = await SbdCli.AdminAsync(cluster.Publisher, "restore", keyless, "--missing-keys", "keep-current");
        Assert.True(code == 0, output);
        Assert.Contains("WARNING: cucm-pub/CallManager", output, StringComparison.Ordinal);
        await cluster.WaitConvergedAsync();
        var audit = await cluster.Admin.GetStringAsync("/api/audit?max=5", Ct);
        Assert.Contains("certificate and key do not match for cucm-pub/CallManager", audit, StringComparison.Ordinal);

        var locked = await phone.BootAsync();
        Expect.TrustFailed(locked, Expect.Locked, "scenario 25, restored without the key");
        Expect.PlannerAgrees(preview, phone, locked);

        // "show itl" on the restored TFTP: the SAST's certificate did not sign the file, and the file does not verify.
        var served = Path.Combine(dir, "restored-ITLFile.tlv");
        await File.WriteAllBytesAsync(served, await cluster.Admin.GetByteArrayAsync("/api/files/ITLFile.tlv", Ct), Ct);
        var (showCode, show) = await SbdCli.RunAsync("tlv", "show", served);
        Assert.True(showCode != 0 || show.Contains("Verification of the ITL file failed.", StringComparison.Ordinal), show);
        Assert.Contains("This etoken was not used to sign the ITL file.", show, StringComparison.Ordinal);
        Assert.DoesNotContain("This etoken was used to sign the ITL file.", show, StringComparison.Ordinal);

        // Recovery as in CUCM: restore the backup that holds the key. The planner cannot know which ITL the locked
        // phone holds (it reported another one), so it calls it at risk rather than promise an outcome.
        (preview, _) = await cluster.RestorePreviewAsync(full);
        Assert.StartsWith("at risk", preview[phone.Name].Reason, StringComparison.Ordinal);
        var restored = await cluster.Admin.PostAsync("/api/restore", new ByteArrayContent(full), Ct);
        Assert.Equal(HttpStatusCode.NoContent, restored.StatusCode);
        await cluster.WaitConvergedAsync();
        var recovered = await phone.BootAsync();
        Expect.Accepted(recovered, "Trust List updated", "scenario 25, restored with the key");
        Expect.TvsAnswered(recovered, "scenario 25, restored with the key", "127.0.0.11:2445");
        Assert.Equal(await phone.ServedItlMd5Async(cluster.Publisher), phone.InstalledItlMd5);
        Assert.NotEqual(Convert.ToHexStringLower(MD5.HashData(await File.ReadAllBytesAsync(served, Ct))), phone.InstalledItlMd5);
    }

    /// <summary>
    /// Scenario 25 in ITLRecovery signer mode (the default of a new cluster): the backup lacks CallManager's key but
    /// holds ITLRecovery's, so the restored ITL still verifies; what the node can no longer sign is the configs, whose
    /// signature the ITL's TFTP record (the backup's CallManager certificate) must verify.
    /// </summary>
    [Fact]
    public async Task BackupWithoutCallManagerKey_InItlRecoveryMode_TheItlStillVerifies_TheConfigsFail_RestoreWithTheKeyRecovers()
    {
        var cluster = await ClusterAsync(1, "ITLRecovery");
        var phone = await PhoneAsync(cluster, "0A0B0C0D0251");
        Expect.Accepted(await phone.BootAsync(), "ITL installed", "first boot");
        await cluster.MarkPropagatedAsync();

        var dir = cluster.Publisher.DataDir;
        var keyless = Path.Combine(dir, "keyless.sbdbak");
        var (code, output) = await SbdCli.AdminAsync(cluster.Publisher, "backup", "--out", keyless, "--omit-keys", "CallManager");
        Assert.True(code == 0, output);
        var full = await (await cluster.Admin.PostAsync("/api/backup", null, Ct)).Content.ReadAsByteArrayAsync(Ct);

        // The node is rebuilt; the ITLRecovery signer did not change, so the phone follows from its own ITL.
        var plan = await cluster.PlanAsync(Regenerate(Pub, "CallManager"));
        await cluster.RegenerateAsync(Pub, "CallManager");
        var rebuilt = await phone.BootAsync();
        Expect.Accepted(rebuilt, "Trust List updated", "node rebuilt");
        Expect.NoTvs(rebuilt, "node rebuilt, ITLRecovery unchanged");
        Expect.PlannerAgrees(plan, phone, rebuilt);
        await cluster.MarkPropagatedAsync();

        var (preview, warnings) = await cluster.RestorePreviewAsync(await File.ReadAllBytesAsync(keyless, Ct), "keep-current");
        Assert.Contains(warnings, w => w.Contains("cucm-pub/CallManager", StringComparison.Ordinal) && w.Contains("CSCtn50405", StringComparison.Ordinal));
        (code, output) = await SbdCli.AdminAsync(cluster.Publisher, "restore", keyless, "--missing-keys", "keep-current");
        Assert.True(code == 0, output);
        await cluster.WaitConvergedAsync();

        var locked = await phone.BootAsync();
        Expect.TrustFailed(locked, $"File Auth Error SEP{phone.Mac}.cnf.xml.sgn", "scenario 25 (ITLRecovery), restored without the key");
        Expect.PlannerAgrees(preview, phone, locked);

        // "show itl" on the restored TFTP: ITLRecovery signed it and it verifies; the configs are what broke.
        var served = Path.Combine(dir, "restored-ITLFile.tlv");
        await File.WriteAllBytesAsync(served, await cluster.Admin.GetByteArrayAsync("/api/files/ITLFile.tlv", Ct), Ct);
        var (showCode, show) = await SbdCli.RunAsync("tlv", "show", served);
        Assert.True(showCode == 0, show);
        Assert.Contains("This etoken was used to sign the ITL file.", show, StringComparison.Ordinal);
        Assert.DoesNotContain("Verification of the ITL file failed.", show, StringComparison.Ordinal);

        (preview, _) = await cluster.RestorePreviewAsync(full);
        var restored = await cluster.Admin.PostAsync("/api/restore", new ByteArrayContent(full), Ct);
        Assert.Equal(HttpStatusCode.NoContent, restored.StatusCode);
        await cluster.WaitConvergedAsync();
        var recovered = await phone.BootAsync();
        Expect.Accepted(recovered, "scenario 25 (ITLRecovery), restored with the key");
        Expect.PlannerAgrees(preview, phone, recovered);
        Assert.Equal(await phone.ServedItlMd5Async(cluster.Publisher), phone.InstalledItlMd5);
    }
}
