namespace SbdServer.Core.Devices;

/// <summary>
/// Where the trust inventory keeps the last ITL/CTL served to each device. Written off the TFTP I/O path in batches
/// and without change events: a fetch changes no generated file.
/// </summary>
public interface IServedFileStore
{
    /// <summary>Replaces each device's record of that kind (the newest wins).</summary>
    Task RecordAsync(IReadOnlyList<DeviceServedFile> served, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeviceServedFile>> ForDeviceAsync(string deviceName, CancellationToken cancellationToken);

    /// <summary>Every record, for the fleet-wide inventory.</summary>
    Task<IReadOnlyList<DeviceServedFile>> ListAsync(CancellationToken cancellationToken);
}
