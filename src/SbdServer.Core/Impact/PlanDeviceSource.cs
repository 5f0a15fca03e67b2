using SbdServer.Core.Devices;
using SbdServer.Core.Provisioning;

namespace SbdServer.Core.Impact;

/// <summary>
/// Devices with the state of their ITL (in sync, stale, reported mismatch, never fetched) by the trust inventory's
/// rule, read in bulk: the planner runs inside certificate changes and on every impact page, so the states come from
/// one database query (<see cref="DeviceDirectory.ItlStatesAsync"/>) rather than per device in memory.
/// </summary>
public sealed class PlanDeviceSource(IDeviceStore devices, DeviceDirectory directory) : IPlanDeviceSource
{
    public async Task<IReadOnlyList<PlannedDevice>> GetDevicesAsync(CancellationToken cancellationToken)
    {
        var list = await devices.ListAsync(cancellationToken);
        var states = await directory.ItlStatesAsync(cancellationToken);

        // A device created between the two reads has fetched nothing yet.
        return [.. list.Select(d => new PlannedDevice(d, states.GetValueOrDefault(d.Name, TrustFileState.NeverFetched)))];
    }

    public async Task<IReadOnlyList<PlannedDevice>> GetForPlanningAsync(CancellationToken cancellationToken) =>
        [.. (await directory.PlanRowsAsync(cancellationToken)).Select(Planned)];

    public Task<IReadOnlyList<PopulationCount>> CountPopulationsAsync(CancellationToken cancellationToken) =>
        directory.CountPopulationsAsync(cancellationToken);

    public async Task<IReadOnlyList<PlannedDevice>> GetForPlanningAsync(
        IReadOnlyCollection<DevicePopulation> populations, int limit, CancellationToken cancellationToken) =>
        [.. (await directory.PlanRowsAsync(populations, limit, cancellationToken)).Select(Planned)];

    private static PlannedDevice Planned(DevicePlanRow row) => new(row.Name, row.Model, row.CallManagerGroup, row.ItlState, row.SecurityMode);
}
