using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Devices;
using SbdServer.Core.Impact;
using SbdServer.Core.Parameters;
using Xunit;

namespace SbdServer.Core.Tests.Impact;

/// <summary>
/// The planner decides once per group, model and ITL state and shares the outcome among the devices that have them in
/// common: over a mixed fleet, every device must get exactly the answer it gets when it is planned on its own.
/// </summary>
public class ChangePlannerPopulationTests
{
    private const string Cm = CertificateStores.CallManager;
    private const string Tvs = CertificateStores.Tvs;

    // Models with and without ITL support and SHA-512, groups that exist (in other spellings too) and one that does
    // not, and every ITL state: each combination a device can be in.
    private static readonly string[] Models = ["8861", "7962", "7940", "8845", "9971", "unknown-model"];
    private static readonly string[] GroupNames = ["Default", "PubOnly", "Both", "sub2", "default", "Missing"];

    public static TheoryData<string> Changes => new()
    {
        "cm+tvs on cucm-pub",
        "cm on cucm-sub1",
        "rollback",
        "sha-512",
        "itlrecovery signer",
        "mixed mode",
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void MixedFleet_EveryDeviceGetsItsOwnAnswer(string change)
    {
        var state = Fleet(900);

        var together = state.Plan(Proposed(change));

        var alone = state.Devices.OrderBy(d => d.Name, StringComparer.Ordinal)
            .Select(d => Assert.Single(ChangePlanner.Plan(state.Snapshot(), [d], Proposed(change)).Devices))
            .ToList();
        Assert.Equal(alone, together.Devices);
        Assert.Equal(alone.Count(p => p.KeepsTrust), together.Kept);
        Assert.Equal(alone.Count(p => !p.KeepsTrust), together.Lost);

        // The fleet is mixed enough that the comparison covers kept and lost devices and several reasons.
        Assert.InRange(together.Kept, 1, together.Devices.Count - 1);
        Assert.True(together.Devices.Select(d => d.Reason).Distinct().Count() >= 3);
    }

    [Fact]
    public void TenThousandDevices_SameAnswerAsEachAlone_AndAggregatesByGroup()
    {
        var state = Fleet(10_000);
        ProposedChange[] change = [ProposedChange.Regenerate("cucm-pub", Cm), ProposedChange.Regenerate("cucm-pub", Tvs)];

        var plan = state.Plan(change);

        Assert.Equal(10_000, plan.Devices.Count);
        Assert.Equal(plan.Devices.Select(d => d.Name).Order(StringComparer.Ordinal), plan.Devices.Select(d => d.Name));
        foreach (var device in state.Devices.Where((_, i) => i % 97 == 0))
        {
            var alone = Assert.Single(ChangePlanner.Plan(state.Snapshot(), [device], change).Devices);
            Assert.Equal(alone, plan.Devices.Single(d => d.Name == device.Name));
        }

        // The shared outcomes are still the group rule's: PubOnly phones lose trust (their only TVS changes with the
        // signer), Both phones keep it through cucm-sub1.
        Assert.Contains(plan.Devices, d => d.Group == "PubOnly" && d.Itl == TrustFileState.InSync && !d.KeepsTrust
            && d.Reason == "locked: signer CallManager of cucm-pub changes and the TVS certificates of its group {cucm-pub} change too");
        Assert.Contains(plan.Devices, d => d.Group == "Both" && d.Itl == TrustFileState.InSync && d.KeepsTrust
            && d.Reason.Contains("via TVS on cucm-sub1", StringComparison.Ordinal));
    }

    private static ProposedChange[] Proposed(string change) => change switch
    {
        "cm+tvs on cucm-pub" => [ProposedChange.Regenerate("cucm-pub", Cm), ProposedChange.Regenerate("cucm-pub", Tvs)],
        "cm on cucm-sub1" => [ProposedChange.Regenerate("cucm-sub1", Cm)],
        "rollback" => [ProposedChange.SetParameter(EnterpriseParameterCatalog.PrepareClusterForRollbackToPre80, "True")],
        "sha-512" => [ProposedChange.SetParameter(EnterpriseParameterCatalog.TftpFileSignatureAlgorithm, "SHA-512")],
        "itlrecovery signer" => [ProposedChange.SetParameter(EnterpriseParameterCatalog.ItlSignerMode, "ITLRecovery"), ProposedChange.Regenerate("cucm-pub", Cm)],
        "mixed mode" => [ProposedChange.SetParameter(EnterpriseParameterCatalog.ClusterSecurityMode, "Mixed")],
        _ => throw new ArgumentOutOfRangeException(nameof(change), change, null),
    };

    private static PlannerState Fleet(int count)
    {
        var state = new PlannerState(ItlSignerMode.CallManager, "cucm-pub", "cucm-sub1", "cucm-sub2")
            .Group("PubOnly", "cucm-pub")
            .Group("Both", "cucm-pub", "cucm-sub1")
            .TftpGroup("sub2", "cucm-sub2", "cucm-sub2");
        var states = Enum.GetValues<TrustFileState>();
        var random = new Random(13);
        for (var i = 0; i < count; i++)
        {
            // Names in no particular order, as the database returns them.
            var mac = ((long)random.Next(0, 1 << 24) << 24 | (uint)i).ToString("X12", System.Globalization.CultureInfo.InvariantCulture);
            state.Device(mac, GroupNames[random.Next(GroupNames.Length)], Models[random.Next(Models.Length)], states[random.Next(states.Length)]);
        }

        return state;
    }
}
