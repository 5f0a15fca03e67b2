namespace SbdServer.Core.Devices;

/// <summary>
/// What a phone (emulated, or a real one via a QA script) last said about itself: the trust lists it holds (the hashes
/// its Trust List menu shows), who signed its ITL, its status line and firmware. One row per device; the newest wins.
/// </summary>
public sealed class DeviceReport
{
    public Guid Id { get; set; }

    /// <summary>Canonical <c>SEP...</c> name; by name, like served-file records, so a restore needs no key mapping.</summary>
    public required string DeviceName { get; set; }

    /// <summary>MD5 of the installed ITL, lower-case hex; null when the phone holds none.</summary>
    public string? ItlMd5 { get; set; }

    /// <summary>SHA-1 of the installed ITL, lower-case hex.</summary>
    public string? ItlSha1 { get; set; }

    public string? CtlMd5 { get; set; }

    public string? CtlSha1 { get; set; }

    /// <summary>Signer of the installed ITL as the phone shows it (free text).</summary>
    public string? ItlSigner { get; set; }

    /// <summary>Last trust-list status message, e.g. "ITL installed" or "Trust List Update Failed".</summary>
    public string? Status { get; set; }

    public string? Firmware { get; set; }

    public string? LoadInformation { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}
