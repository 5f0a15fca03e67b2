using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Parameters;
using SbdServer.Core.Provisioning;
using Xunit;

namespace SbdServer.Core.Tests.Impact;

public class ItlContentTests
{
    [Fact]
    public void Fingerprint_FollowsTheItlInputs_NotOtherCertificates()
    {
        var state = new PlannerState(ItlSignerMode.ItlRecovery, "cucm-pub", "cucm-sub1").Snapshot();
        var pub = state.Nodes[0];
        var before = ItlContent.Fingerprint(state, pub);

        state.FindIdentity(pub, CertificateStores.Tomcat)!.Sha256 = "00";
        Assert.Equal(before, ItlContent.Fingerprint(state, pub));

        state.FindIdentity(state.Nodes[1], CertificateStores.Tvs)!.Sha256 = "01";
        var afterTvs = ItlContent.Fingerprint(state, pub);
        Assert.NotEqual(before, afterTvs);

        // The subscriber's CallManager is only in the subscriber's ITL.
        state.FindIdentity(state.Nodes[1], CertificateStores.CallManager)!.Sha256 = "02";
        Assert.Equal(afterTvs, ItlContent.Fingerprint(state, pub));
        Assert.NotEqual(afterTvs, ItlContent.Fingerprint(state, state.Nodes[1]));

        var rollback = state with { Parameters = [new EnterpriseParameter { Name = EnterpriseParameterCatalog.PrepareClusterForRollbackToPre80, Value = "True" }] };
        Assert.NotEqual(afterTvs, ItlContent.Fingerprint(rollback, pub));
        Assert.True(ItlContent.IsRollback(rollback));
    }

    [Fact]
    public void ChangedFor_OnlyDevicesWhoseTftpNodeServesAnotherItl()
    {
        var builder = new PlannerState(ItlSignerMode.CallManager, "cucm-pub", "cucm-sub1")
            .TftpGroup("Sub1Tftp", "cucm-sub1", "cucm-sub1")
            .Device("000000000001")
            .Device("000000000002", group: "Sub1Tftp");
        var state = builder.Snapshot();
        var devices = builder.Devices.Select(d => d.Record!).ToList();
        var sub1 = state.Nodes[1];

        var before = ItlContent.Fingerprints(state);
        state.FindIdentity(state.Nodes[0], CertificateStores.Tomcat)!.Sha256 = "00";
        Assert.Empty(ItlContent.ChangedFor(before, state, devices));

        state.FindIdentity(sub1, CertificateStores.CallManager)!.Sha256 = "01";
        Assert.Equal(["SEP000000000002"], ItlContent.ChangedFor(before, state, devices).Select(d => d.Name));

        before = ItlContent.Fingerprints(state);
        state.FindIdentity(state.Nodes[0], CertificateStores.Tvs)!.Sha256 = "02";
        Assert.Equal(2, ItlContent.ChangedFor(before, state, devices).Count);
    }
}
