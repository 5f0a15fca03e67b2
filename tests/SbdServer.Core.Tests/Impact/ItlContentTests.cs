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
}
