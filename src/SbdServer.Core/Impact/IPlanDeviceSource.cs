namespace SbdServer.Core.Impact;

/// <summary>The devices and their trust-list state, for the planner and the automatic reset.</summary>
public interface IPlanDeviceSource
{
    Task<IReadOnlyList<PlannedDevice>> GetDevicesAsync(CancellationToken cancellationToken);
}
