using SbdServer.Core.Devices;
using SbdServer.Core.Impact;

namespace SbdServer.Core.Provisioning;

/// <summary>Devices with the state of their ITL (in sync, stale, never fetched) as the trust inventory reports it.</summary>
public sealed class PlanDeviceSource(IDeviceStore devices, DeviceTrustInventory inventory) : IPlanDeviceSource
{
    public async Task<IReadOnlyList<PlannedDevice>> GetDevicesAsync(CancellationToken cancellationToken)
    {
        var list = await devices.ListAsync(cancellationToken);
        var result = new List<PlannedDevice>(list.Count);
        foreach (var device in list)
        {
            TrustFileState itl;
            try
            {
                var trust = await inventory.GetAsync(device.Name, cancellationToken);
                itl = trust.FirstOrDefault(t => t.File == "ITL")?.State ?? TrustFileState.NeverFetched;
            }
            catch (CertificateStore.NotFoundException)
            {
                continue; // deleted since the list was read
            }

            result.Add(new PlannedDevice(device, itl));
        }

        return result;
    }
}
