using SbdServer.Core.Devices;

namespace SbdServer.Core.Storage;

/// <summary>
/// The devices part of a backup: devices with their certificates, the last ITL/CTL served to each, and their latest
/// self-reports. A restore replaces all three together; an archive without this section leaves them as they are.
/// </summary>
public sealed record DeviceArchiveSection(
    IReadOnlyList<Device> Devices,
    IReadOnlyList<DeviceServedFile> ServedFiles,
    IReadOnlyList<DeviceReport> Reports);
