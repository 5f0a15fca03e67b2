using SbdServer.Wire.Itl;
using Xunit;

namespace SbdServer.Scenarios.Tests;

/// <summary>
/// Scenarios 16 and 17: phones move from an old cluster (cucm-pub on 127.0.0.11) to a new one (new-cucm-pub on
/// 127.0.0.21, its own database on the same PostgreSQL server) by pointing their TFTP server (DHCP option 150) at the
/// new cluster. Both clusters run CUCM 12's ITLRecovery signer. What lets the phones in is the bulk certificate method:
/// the new cluster's ITLRecovery and CallManager exported, imported into the old cluster's Phone-SAST-trust, where the
/// old TVS (the one in the phones' current config) finds them.
/// </summary>
public sealed class MigrationScenarios : ScenarioTestBase
{
    private const string NewPub = "new-cucm-pub";
    private const string OldTvs = "127.0.0.11:2445";
    private const string Password = "migration export password";

    /// <summary>16: non-secure clusters. Without the import the new ITL is refused; with it the old TVS vouches for it.</summary>
    [Fact]
    public async Task NonSecure_NewItlRefusedUntilImported_ThenVouchedByTheOldTvs()
    {
        var (old, fresh) = await ClustersAsync();
        var phone = await PhoneAsync(old, "0A0B0C0D1601");
        await fresh.AddDeviceAsync(phone.Mac);
        var first = await phone.BootAsync();
        Expect.Accepted(first, "ITL installed", "scenario 16, on the old cluster");
        var oldItl = phone.InstalledItlMd5;

        // Option 150 now names the new cluster; nothing was imported: the old TVS does not know the new signer.
        phone.Cluster = fresh;
        var refused = await phone.BootAsync();
        Expect.TrustFailed(refused, Expect.Locked, "scenario 16, without the import");
        Assert.Contains(refused.Log, l => l.Contains($"TVS {OldTvs} (", StringComparison.Ordinal));
        Assert.Equal(oldItl, phone.InstalledItlMd5);

        await ImportNewClusterAsync(old, fresh);
        var migrated = await phone.BootAsync();
        Expect.Accepted(migrated, "Trust List updated", "scenario 16, after the import");
        Expect.TvsAnswered(migrated, "scenario 16, after the import", OldTvs);
        Assert.Equal(await phone.ServedItlMd5Async(fresh.Publisher), phone.InstalledItlMd5);
        Assert.Contains(migrated.Log, l => l.Contains("TVS list: 127.0.0.21:2445", StringComparison.Ordinal));

        // From now on the phone lives on the new cluster: the next boot needs no TVS at all.
        var settled = await phone.BootAsync();
        Expect.Accepted(settled, "scenario 16, settled on the new cluster");
        Expect.NoTvs(settled, "scenario 16, settled on the new cluster");
    }

    /// <summary>
    /// 17: both clusters in mixed mode. The new CTL is verified through the old TVS, the new ITL then through the new
    /// CTL. The rollback parameter alone does not help: it blanks the ITL, not the CTL.
    /// </summary>
    [Fact]
    public async Task Secure_NewCtlVouchedByTheOldTvs_RollbackAloneDoesNotHelp()
    {
        var (old, fresh) = await ClustersAsync();
        await old.SetParameterAsync("ClusterSecurityMode", "Mixed");
        await fresh.SetParameterAsync("ClusterSecurityMode", "Mixed");
        var phone = await PhoneAsync(old, "0A0B0C0D1701");
        var rolledBack = await PhoneAsync(old, "0A0B0C0D1702");
        foreach (var p in new[] { phone, rolledBack })
        {
            await fresh.AddDeviceAsync(p.Mac);
            Expect.Accepted(await p.BootAsync(), "CTL and ITL installed", "scenario 17, on the old cluster: " + p.Name);
        }

        // The rollback parameter on the old cluster: its phones take the blank ITL but keep the old CTL, which
        // knows nothing of the new cluster.
        await old.SetParameterAsync("PrepareClusterForRollbackToPre80", "True");
        Expect.Accepted(await rolledBack.BootAsync(), "Trust List updated", "scenario 17, blank ITL on the old cluster");
        Assert.True(rolledBack.TrustList().ItlFile!.IsBlank);
        var oldCtl = rolledBack.TrustList().Ctl!.Md5;
        rolledBack.Cluster = fresh;
        var notEnough = await rolledBack.BootAsync();
        // The blank ITL has no TVS records left to check a TVS against, and the old CTL does not hold the new signer.
        Expect.TrustFailed(notEnough, Expect.Locked, "scenario 17, rollback alone");
        Assert.Contains(notEnough.Log, l => l.StartsWith("SECD: CTLFile.tlv REJECTED", StringComparison.Ordinal));
        Assert.Equal(oldCtl, rolledBack.TrustList().Ctl!.Md5);
        await old.SetParameterAsync("PrepareClusterForRollbackToPre80", "False");

        await ImportNewClusterAsync(old, fresh);
        phone.Cluster = fresh;
        var migrated = await phone.BootAsync();
        Expect.Accepted(migrated, "Trust List updated", "scenario 17, after the import");
        Expect.TvsAnswered(migrated, "scenario 17, the CTL through the old TVS", OldTvs);
        var trust = phone.TrustList();
        Assert.Equal(await phone.ServedCtlMd5Async(fresh.Publisher), trust.Ctl!.Md5);
        Assert.Equal(await phone.ServedItlMd5Async(fresh.Publisher), trust.Itl!.Md5);
        using (var newCallManager = await fresh.CertificateAsync(NewPub, "CallManager"))
        {
            Assert.Contains(trust.CtlFile!.Records, r => r.Role == TrustRole.CcmTftp && r.Certificate is { } der && der.AsSpan().SequenceEqual(newCallManager.RawData));
        }
    }

    private async Task<(ScenarioCluster Old, ScenarioCluster New)> ClustersAsync()
    {
        var old = await ClusterAsync(1, "ITLRecovery");
        var fresh = await ClusterAsync(1, "ITLRecovery", firstAddress: 21, prefix: "new-");
        return (old, fresh);
    }

    /// <summary>The bulk certificate method: export on the new cluster, import into the old one.</summary>
    private static async Task ImportNewClusterAsync(ScenarioCluster old, ScenarioCluster fresh)
    {
        foreach (var certificate in new[] { "ITLRecovery", "CallManager" })
        {
            await old.ImportAsync(certificate, await fresh.ExportAsync(NewPub, certificate, Password), Password);
        }
    }
}
