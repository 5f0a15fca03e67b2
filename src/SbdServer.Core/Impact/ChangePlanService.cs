using SbdServer.Core.Storage;

namespace SbdServer.Core.Impact;

/// <summary><c>POST /api/plan</c>: evaluates proposed changes against the current state and devices; changes nothing.</summary>
public sealed class ChangePlanService(ISecurityStore store, IPlanDeviceSource devices)
{
    public async Task<ChangePlan> PlanAsync(IReadOnlyList<ProposedChange> changes, CancellationToken cancellationToken)
    {
        var state = await store.LoadAsync(cancellationToken);
        var planned = await devices.GetForPlanningAsync(cancellationToken);
        return ChangePlanner.Plan(state, planned, changes);
    }

    /// <summary>
    /// The plan as an impact page shows it (totals, groups, warnings and the first <paramref name="listed"/> devices
    /// that lose trust), from the database's device counts per population rather than every device.
    /// </summary>
    public async Task<ChangeImpact> ImpactAsync(IReadOnlyList<ProposedChange> changes, int listed, CancellationToken cancellationToken)
    {
        var state = await store.LoadAsync(cancellationToken);
        var populations = await devices.CountPopulationsAsync(cancellationToken);
        return await ChangePlanner.PlanPopulations(state, populations, changes).CompleteAsync(devices, listed, cancellationToken);
    }

    /// <summary>
    /// The impact of changes none of which alters any ITL (URL parameters, auto-registration): every phone keeps
    /// trust. A separate call because the planner refuses an empty change list.
    /// </summary>
    public async Task<ChangePlan> UnchangedAsync(CancellationToken cancellationToken) =>
        new([], (await devices.GetForPlanningAsync(cancellationToken)).Count, 0, [], []);
}
