using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Devices;
using SbdServer.Core.Impact;
using SbdServer.Core.Parameters;
using SbdServer.Core.Provisioning;
using SbdServer.Wire.Itl;
using Xunit;

namespace SbdServer.Core.Tests.Impact;

/// <summary>Scenario 20: the CTL's captured set, what makes it stale, and what the planner says about it.</summary>
public class CtlPlannerTests
{
    private const string Cm = CertificateStores.CallManager;

    [Fact]
    public void Capture_ItlRecoveryMode_OneSast_EveryCallManager_TheCapf()
    {
        var state = new PlannerState(ItlSignerMode.ItlRecovery, "cucm-pub", "cucm-sub1").Snapshot();

        var ctl = CtlContent.Capture(state, DateTimeOffset.UnixEpoch);

        Assert.Equal([TrustRole.Sast, TrustRole.CcmTftp, TrustRole.CcmTftp, TrustRole.Capf], ctl.Select(c => c.Role));
        Assert.Equal([CertificateStores.ItlRecovery, Cm, Cm, CertificateStores.Capf], ctl.Select(c => c.Name));
        Assert.Null(ctl[0].NodeId);
        Assert.Equal([0, 1, 2, 3], ctl.Select(c => c.Position));
    }

    [Fact]
    public void Capture_CallManagerMode_EveryNodeSignsItsOwn_AndKeepsTheSignerKey()
    {
        var snapshot = new PlannerState(ItlSignerMode.CallManager, "cucm-pub", "cucm-sub1").Mixed().Snapshot();

        foreach (var node in snapshot.Nodes)
        {
            var records = CtlContent.RecordsFor(snapshot, node);
            Assert.Equal(TrustRole.Sast, records[0].Role);
            Assert.Equal(snapshot.FindIdentity(node, Cm)!.Sha256, records[0].Sha256);
            Assert.Equal(snapshot.FindIdentity(node, Cm)!.ProtectedKey, records[0].ProtectedKey);
            Assert.Equal([TrustRole.CcmTftp, TrustRole.CcmTftp, TrustRole.Capf], records.Skip(1).Select(r => r.Role));
            Assert.All(records.Skip(1), r => Assert.Empty(r.ProtectedKey));
        }
    }

    [Fact]
    public void Differences_NameTheRegeneratedCertificate_UntilTheCtlIsWrittenAgain()
    {
        var state = new PlannerState(ItlSignerMode.ItlRecovery, "cucm-pub", "cucm-sub1").Mixed();
        Assert.Empty(CtlContent.Differences(state.Snapshot()));

        state.Regenerated("cucm-sub1", Cm).Regenerated("cucm-pub", CertificateStores.Tvs);
        var stale = Assert.Single(CtlContent.Differences(state.Snapshot()));
        Assert.StartsWith("CallManager of cucm-sub1 (CCM+TFTP) was regenerated after the CTL was written", stale, StringComparison.Ordinal);

        state.Mixed(); // the CTL update writes it again
        Assert.Empty(CtlContent.Differences(state.Snapshot()));
    }

    [Fact]
    public void Differences_NonSecureCluster_HasNone()
    {
        var state = new PlannerState(ItlSignerMode.ItlRecovery, "cucm-pub").Regenerated("cucm-pub", Cm);

        Assert.Empty(CtlContent.Differences(state.Snapshot()));
    }

    [Fact]
    public void Plan_CallManagerInMixedMode_KeepsTrust_ButSecurePhonesLoseTlsRegistration_AndWarns()
    {
        var state = new PlannerState(ItlSignerMode.ItlRecovery, "cucm-pub")
            .Device("000000000001", security: DeviceSecurityMode.Authenticated)
            .Device("000000000002")
            .Mixed();

        var plan = state.Plan(ProposedChange.Regenerate("cucm-pub", Cm));

        var secure = plan.Devices.Single(d => d.Name == "SEP000000000001");
        var plain = plan.Devices.Single(d => d.Name == "SEP000000000002");
        Assert.True(secure.KeepsTrust);
        Assert.Equal(
            "ITL signer unchanged (ITLRecovery); but its TLS registration with cucm-pub fails until the CTL update: the CTL lists the old " +
            "CallManager certificate", secure.Reason);
        Assert.Equal("ITL signer unchanged (ITLRecovery)", plain.Reason);
        Assert.Contains(plan.Warnings, w => w.StartsWith(
            "In mixed mode the CTL keeps listing the old certificate of CallManager of cucm-pub after this change", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_WhileTheCtlIsStale_WarnsWhateverTheChange_AndEnteringMixedModeDoesNot()
    {
        var stale = new PlannerState(ItlSignerMode.ItlRecovery, "cucm-pub")
            .Device("000000000001", security: DeviceSecurityMode.Encrypted).Mixed().Regenerated("cucm-pub", Cm);

        var plan = stale.Plan(ProposedChange.Regenerate("cucm-pub", CertificateStores.Tvs));

        Assert.Contains(plan.Warnings, w => w.StartsWith("The CTL is out of date: CallManager of cucm-pub (CCM+TFTP) was regenerated", StringComparison.Ordinal));
        Assert.Contains("TLS registration with cucm-pub fails", Assert.Single(plan.Devices).Reason, StringComparison.Ordinal);

        var entering = new PlannerState(ItlSignerMode.ItlRecovery, "cucm-pub").Device("000000000001", security: DeviceSecurityMode.Encrypted)
            .Plan(ProposedChange.SetParameter(EnterpriseParameterCatalog.ClusterSecurityMode, "Mixed"), ProposedChange.Regenerate("cucm-pub", Cm));
        Assert.DoesNotContain(entering.Warnings, w => w.Contains("CTL", StringComparison.Ordinal));
        Assert.DoesNotContain("TLS registration", Assert.Single(entering.Devices).Reason, StringComparison.Ordinal);
    }
}
