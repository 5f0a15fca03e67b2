using SbdServer.Core.Errors;
using SbdServer.Core.Storage;

namespace SbdServer.Core.DeviceManagement;

/// <summary>CUCM's Enterprise Parameters "Reset": every device is asked to reset at once.</summary>
public sealed partial class DeviceManager
{
    /// <summary>
    /// Marks every device for reset in one transaction with one audit entry (a cluster-wide action, not 10 000
    /// per-device entries); returns how many devices were marked.
    /// </summary>
    public async Task<int> RequestResetAllAsync(string actor, CancellationToken cancellationToken)
    {
        var count = 0;
        // Alone: a device edit committing in the middle would be overwritten, or would fail the whole reset.
        await unit.WriteAsync(WriteScope.Alone, async (changes, _) =>
        {
            var all = await devices.ListAsync(cancellationToken);
            if (all.Count > MaxBulkDevices)
            {
                throw new InvalidInputException($"The cluster has {all.Count} devices; one reset covers at most {MaxBulkDevices}.");
            }

            var now = time.GetUtcNow();
            foreach (var device in all)
            {
                device.ResetRequestedAt = now;
                device.UpdatedAt = now;
                changes.Updated.Add(device);
                changes.Changes.Add(Change(device.Name));
            }

            if (all.Count > 0)
            {
                changes.Audit.Add(Audit(actor, "device.reset-all", "cluster", $"{all.Count} devices"));
            }

            count = all.Count;
            return count;
        }, cancellationToken);
        return count;
    }
}
