using System.Collections.Frozen;
using SbdServer.Core.Devices;
using SbdServer.Core.Storage;

namespace SbdServer.Core.Provisioning;

/// <summary>Everything generated files are built from, read in one go and cached until a change event arrives.</summary>
public sealed record ProvisioningInputs(SecuritySnapshot State, IReadOnlyList<Device> Devices)
{
    // Indexed once per load: a boot storm asks for thousands of per-device names against the same inputs.
    private FrozenDictionary<string, Device>? _byName;

    public Device? FindDevice(string name)
    {
        _byName ??= Devices.ToFrozenDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);
        return _byName.GetValueOrDefault(name);
    }
}
