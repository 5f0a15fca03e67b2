using SbdServer.Core.Devices;
using SbdServer.Core.Storage;

namespace SbdServer.Core.Provisioning;

/// <summary>Everything generated files are built from, read in one go and cached until a change event arrives.</summary>
public sealed record ProvisioningInputs(SecuritySnapshot State, IReadOnlyList<Device> Devices)
{
    public Device? FindDevice(string name) =>
        Devices.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));
}
