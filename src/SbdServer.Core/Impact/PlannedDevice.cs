using SbdServer.Core.Devices;

namespace SbdServer.Core.Impact;

/// <summary>
/// A device as the planner sees it: what decides its outcome (name, model, CallManager group, whether its profile
/// registers over TLS) and whether it holds the ITL it would be served now.
/// </summary>
public sealed record PlannedDevice(string Name, string Model, string CallManagerGroup, TrustFileState Itl, DeviceSecurityMode SecurityMode)
{
    /// <summary>A device read in full, for a change that may write it (an automatic reset marks the record).</summary>
    public PlannedDevice(Device device, TrustFileState itl)
        : this(device.Name, device.Model, device.CallManagerGroup, itl, device.SecurityMode) => Record = device;

    /// <summary>What the planner decides this device by.</summary>
    public DevicePopulation Population => new(CallManagerGroup, Model, Itl, SecurityMode);

    /// <summary>The device record itself; null when the device was read for a plan only, so it cannot be written back.</summary>
    public Device? Record { get; }
}
