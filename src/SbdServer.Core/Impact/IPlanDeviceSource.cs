using SbdServer.Core.Devices;

namespace SbdServer.Core.Impact;

/// <summary>The devices and their trust-list state, for the planner and the automatic reset.</summary>
public interface IPlanDeviceSource
{
    /// <summary>Every device with its record (<see cref="PlannedDevice.Record"/>), for a change that may mark devices for reset.</summary>
    Task<IReadOnlyList<PlannedDevice>> GetDevicesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Every device with only what the planner reads, without its record: for impact pages and previews that change
    /// nothing, where loading 10 000 full device rows cost more than the plan itself (docs/benchmarks.md, admin pages).
    /// </summary>
    Task<IReadOnlyList<PlannedDevice>> GetForPlanningAsync(CancellationToken cancellationToken);

    /// <summary>
    /// How many devices share each population (group, model, ITL state, security mode), for impact pages that show
    /// totals and a first page of names: the planner decides per population, so no device needs reading for the totals.
    /// </summary>
    Task<IReadOnlyList<PopulationCount>> CountPopulationsAsync(CancellationToken cancellationToken);

    /// <summary>The first <paramref name="limit"/> devices by name (ordinal) of any of <paramref name="populations"/>, without records.</summary>
    Task<IReadOnlyList<PlannedDevice>> GetForPlanningAsync(
        IReadOnlyCollection<DevicePopulation> populations, int limit, CancellationToken cancellationToken);
}
