namespace SbdServer.Core.Devices;

/// <summary>
/// Where phones' self-reports are kept. Like served-file records they are observations, not configuration: written
/// without audit entries or change events (a report changes no generated file).
/// </summary>
public interface IDeviceReportStore
{
    /// <summary>Replaces the device's report (the newest wins).</summary>
    Task SaveAsync(DeviceReport report, CancellationToken cancellationToken);

    Task<DeviceReport?> FindAsync(string deviceName, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeviceReport>> ListAsync(CancellationToken cancellationToken);
}
