using SbdServer.Core.Devices;
using SbdServer.Core.Impact;

namespace SbdServer.Core.Provisioning;

/// <summary>
/// Devices with the state of their ITL (in sync, stale, reported mismatch, never fetched) as the trust inventory
/// reports it, read in bulk: the planner runs inside certificate changes.
/// </summary>
public sealed class PlanDeviceSource(IDeviceStore devices, DeviceTrustInventory inventory) : IPlanDeviceSource
{
    public async Task<IReadOnlyList<PlannedDevice>> GetDevicesAsync(CancellationToken cancellationToken)
    {
        var list = await devices.ListAsync(cancellationToken);
        var states = (await inventory.ListAsync(null, cancellationToken)).ToDictionary(e => e.Name, e => e.Itl.State, StringComparer.Ordinal);

        // A device created between the two reads has fetched nothing yet.
        return [.. list.Select(d => new PlannedDevice(d, states.GetValueOrDefault(d.Name, TrustFileState.NeverFetched)))];
    }
}
