using SbdServer.Core.Devices;

namespace SbdServer.Core.Impact;

/// <summary>
/// A plan decided per population (<see cref="ChangePlanner.PlanPopulations"/>): its totals, groups and the warnings
/// that name no device are known; the devices that lose trust are known by population only, so a page reads just the
/// first of them by name (<see cref="CompleteAsync"/>) instead of every device.
/// </summary>
public sealed class PopulationPlan
{
    private readonly IReadOnlyList<GroupImpact> _groups;
    private readonly IReadOnlyList<string> _warnings;
    private readonly bool _requiresConfirmation;
    private readonly Func<DevicePopulation, string, DevicePlan> _describe;

    internal PopulationPlan(
        int kept, IReadOnlyList<PopulationCount> atRisk, IReadOnlyList<PopulationCount> locked, IReadOnlyList<GroupImpact> groups,
        IReadOnlyList<string> warnings, bool requiresConfirmation, Func<DevicePopulation, string, DevicePlan> describe)
    {
        Kept = kept;
        AtRisk = [.. atRisk.Select(p => p.Population)];
        AtRiskCount = atRisk.Sum(p => p.Count);
        Locked = [.. locked.Select(p => p.Population)];
        LockedCount = locked.Sum(p => p.Count);
        _groups = groups;
        _warnings = warnings;
        _requiresConfirmation = requiresConfirmation;
        _describe = describe;
    }

    public int Kept { get; }

    /// <summary>Populations whose phones hold another ITL than the one served now and would lose trust (at risk).</summary>
    public IReadOnlyList<DevicePopulation> AtRisk { get; }

    public int AtRiskCount { get; }

    /// <summary>Populations whose phones would lose trust otherwise (locked out, model, missing group).</summary>
    public IReadOnlyList<DevicePopulation> Locked { get; }

    public int LockedCount { get; }

    /// <summary>
    /// Reads the first devices of the at-risk and the locked populations (as many as the warnings name or the page
    /// lists, whichever is more) and completes the impact. Counted and read in two statements, so a device added in
    /// between may be listed without being counted; both answers are the state of one moment or the next.
    /// </summary>
    public async Task<ChangeImpact> CompleteAsync(IPlanDeviceSource devices, int listed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentOutOfRangeException.ThrowIfNegative(listed);
        var read = Math.Max(listed, ChangePlanner.NamedInWarnings);
        var atRisk = AtRisk.Count == 0 ? [] : await devices.GetForPlanningAsync(AtRisk, read, cancellationToken);
        var locked = Locked.Count == 0 ? [] : await devices.GetForPlanningAsync(Locked, read, cancellationToken);
        return Complete(atRisk, locked, listed);
    }

    /// <summary>The impact with <paramref name="atRisk"/> and <paramref name="locked"/>, the first devices of each kind by name.</summary>
    public ChangeImpact Complete(IReadOnlyList<PlannedDevice> atRisk, IReadOnlyList<PlannedDevice> locked, int listed)
    {
        ArgumentNullException.ThrowIfNull(atRisk);
        ArgumentNullException.ThrowIfNull(locked);
        var atRiskNames = atRisk.Select(d => d.Name).Order(StringComparer.Ordinal).ToList();
        var lockedNames = locked.Select(d => d.Name).Order(StringComparer.Ordinal).ToList();
        var losing = atRisk.Concat(locked)
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .Take(listed)
            .Select(d => _describe(d.Population, d.Name))
            .ToList();
        return new ChangeImpact(
            Kept, AtRiskCount + LockedCount, _groups,
            [.. _warnings, .. ChangePlanner.AtRiskWarning(atRiskNames, AtRiskCount), .. ChangePlanner.LockedWarning(lockedNames, LockedCount)],
            losing, _requiresConfirmation);
    }
}
