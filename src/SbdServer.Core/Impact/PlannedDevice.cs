using SbdServer.Core.Devices;

namespace SbdServer.Core.Impact;

/// <summary>A device as the planner sees it: its record and whether it holds the ITL it would be served now.</summary>
public sealed record PlannedDevice(Device Device, TrustFileState Itl);
