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
    // not, every ITL state and every security mode: each combination a device can be in.
    private static readonly string[] Models = ["8861", "7962", "7940", "8845", "9971", "unknown-model"];
    private static readonly string[] GroupNames = ["Default", "PubOnly", "Both", "sub2", "default", "Missing"];

    private static readonly DeviceSecurityMode[] SecurityModes = Enum.GetValues<DeviceSecurityMode>();

    private static readonly string[] ChangeNames =
        ["cm+tvs on cucm-pub", "cm on cucm-sub1", "rollback", "sha-512", "itlrecovery signer", "mixed mode", "itl reset"];

    public static TheoryData<string> Changes => [.. ChangeNames];

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

    public static TheoryData<string, int> Listings()
    {
        var data = new TheoryData<string, int>();
        foreach (var change in ChangeNames)
        {
            foreach (var listed in new[] { 0, 7, 50 })
            {
                data.Add(change, listed);
            }
        }

        return data;
    }

    // The impact pages plan per population counted by the database and read only the devices they list: the totals,
    // groups, warnings (with their first 20 names) and the first devices that lose trust must be the full plan's.
    [Theory]
    [MemberData(nameof(Listings))]
    public async Task PerPopulation_SameImpactAsThePlanOfEveryDevice(string change, int listed)
    {
        var state = Fleet(900);
        var source = new FleetSource(state.Devices);

        var full = ChangeImpact.Of(state.Plan(Proposed(change)), listed);
        var populations = await source.CountPopulationsAsync(Ct);
        var impact = await ChangePlanner.PlanPopulations(state.Snapshot(), populations, Proposed(change)).CompleteAsync(source, listed, Ct);

        AssertSameImpact(full, impact);
        Assert.True(populations.Count < state.Devices.Count / 2, $"{populations.Count} populations");
        Assert.Equal(Math.Min(listed, full.Lost), impact.LosingTrust.Count);
        if (full.Lost > 20)
        {
            Assert.Contains(impact.Warnings, w => w.EndsWith(" more.", StringComparison.Ordinal)); // names cut at 20 and counted
        }
    }

    [Theory]
    [InlineData("cucm-pub", Cm, false)]
    [InlineData("cucm-pub", Tvs, false)]
    [InlineData("cucm-sub1", Cm, false)]
    [InlineData("cucm-pub", Cm, true)] // mixed mode: secure phones' TLS registration against the CTL (scenario 20)
    [InlineData("cucm-sub2", Tvs, true)]
    public async Task PerPopulation_CertificateChange_SameImpactAsTheAnnotatedReport(string node, string certificate, bool mixed)
    {
        var state = Fleet(900);
        if (mixed)
        {
            state.Mixed().Regenerated("cucm-sub1", Cm); // the CTL lists an old CallManager of cucm-sub1 now
        }

        var source = new FleetSource(state.Devices);
        var report = ImpactAnalyzer.Analyze(state.Snapshot(), [new CertificateChange(node, certificate)]);

        var full = ChangeImpact.Of(ChangePlanner.Annotate(state.Snapshot(), state.Devices, report), 50);
        var impact = await ChangePlanner.AnnotatePopulations(state.Snapshot(), await source.CountPopulationsAsync(Ct), report)
            .CompleteAsync(source, 50, Ct);

        AssertSameImpact(full, impact);
        Assert.Equal(report.RequiresConfirmation, impact.RequiresConfirmation);
        if (mixed)
        {
            Assert.Contains(impact.Warnings, w => w.StartsWith("The CTL is out of date", StringComparison.Ordinal));
        }
    }

    private static void AssertSameImpact(ChangeImpact full, ChangeImpact impact)
    {
        Assert.Equal(full.Kept, impact.Kept);
        Assert.Equal(full.Lost, impact.Lost);
        Assert.Equivalent(full.Groups, impact.Groups, strict: true); // records holding lists: compared by content
        Assert.Equal(full.Warnings, impact.Warnings);
        Assert.Equal(full.LosingTrust, impact.LosingTrust);
        Assert.Equal(full.RequiresConfirmation, impact.RequiresConfirmation);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The fleet as the database would answer: counts per population and the first devices of some, by name.</summary>
    private sealed class FleetSource(IReadOnlyList<PlannedDevice> devices) : IPlanDeviceSource
    {
        public Task<IReadOnlyList<PlannedDevice>> GetDevicesAsync(CancellationToken cancellationToken) => Task.FromResult(devices);

        public Task<IReadOnlyList<PlannedDevice>> GetForPlanningAsync(CancellationToken cancellationToken) => Task.FromResult(devices);

        public Task<IReadOnlyList<PopulationCount>> CountPopulationsAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<PopulationCount>>([.. devices.CountBy(d => d.Population).Select(c => new PopulationCount(c.Key, c.Value))]);

        public Task<IReadOnlyList<PlannedDevice>> GetForPlanningAsync(
            IReadOnlyCollection<DevicePopulation> populations, int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<PlannedDevice>>(
                [.. devices.Where(d => populations.Contains(d.Population)).OrderBy(d => d.Name, StringComparer.Ordinal).Take(limit)]);
    }

    private static ProposedChange[] Proposed(string change) => change switch
    {
        "cm+tvs on cucm-pub" => [ProposedChange.Regenerate("cucm-pub", Cm), ProposedChange.Regenerate("cucm-pub", Tvs)],
        "cm on cucm-sub1" => [ProposedChange.Regenerate("cucm-sub1", Cm)],
        "rollback" => [ProposedChange.SetParameter(EnterpriseParameterCatalog.PrepareClusterForRollbackToPre80, "True")],
        "sha-512" => [ProposedChange.SetParameter(EnterpriseParameterCatalog.TftpFileSignatureAlgorithm, "SHA-512")],
        "itlrecovery signer" => [ProposedChange.SetParameter(EnterpriseParameterCatalog.ItlSignerMode, "ITLRecovery"), ProposedChange.Regenerate("cucm-pub", Cm)],
        "mixed mode" => [ProposedChange.SetParameter(EnterpriseParameterCatalog.ClusterSecurityMode, "Mixed")],
        "itl reset" => [ProposedChange.SetParameter(EnterpriseParameterCatalog.ItlSignerMode, "ITLRecovery"), ProposedChange.ItlReset("localkey")],
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
            state.Device(mac, GroupNames[random.Next(GroupNames.Length)], Models[random.Next(Models.Length)], states[random.Next(states.Length)],
                SecurityModes[random.Next(SecurityModes.Length)]);
        }

        return state;
    }
}
