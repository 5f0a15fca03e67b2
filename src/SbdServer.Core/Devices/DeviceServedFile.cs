namespace SbdServer.Core.Devices;

/// <summary>The last ITL or CTL a device fetched (per-device name), as the TFTP/HTTP service reported it.</summary>
public sealed class DeviceServedFile
{
    public Guid Id { get; set; }

    public required string DeviceName { get; set; }

    /// <summary><c>ITL</c> or <c>CTL</c>.</summary>
    public required string Kind { get; set; }

    public required string Md5 { get; set; }

    public required string Sha1 { get; set; }

    public DateTimeOffset ServedAt { get; set; }

    /// <summary>
    /// Row version: 1 when added, incremented by each committed change; the store refuses a change read at another
    /// version (docs/adr/0003-cluster-writes.md, "Row versions").
    /// </summary>
    public long Version { get; set; } = 1;
}
