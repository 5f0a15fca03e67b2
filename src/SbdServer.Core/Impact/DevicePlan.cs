using SbdServer.Core.Devices;

namespace SbdServer.Core.Impact;

/// <summary>What a change does to one device, with the evidence in an admin's words.</summary>
/// <param name="Name">The device name, <c>SEP...</c>.</param>
/// <param name="KeepsTrust">False when the phone would be locked out ("Trust List Update Failed") or is at risk.</param>
/// <param name="Reason">Which certificate of its ITL or which TVS server vouches for the new signer, or why none does.</param>
/// <param name="Group">The device's CallManager group.</param>
/// <param name="Signer">The certificate that signs the device's next ITL.</param>
/// <param name="Itl">Whether the device holds the ITL it is served now (from the TFTP served-file records).</param>
/// <param name="ItlChanges">True when the change alters the ITL this device is served.</param>
public sealed record DevicePlan(
    string Name,
    bool KeepsTrust,
    string Reason,
    string Group,
    string? Signer,
    TrustFileState Itl,
    bool ItlChanges)
{
    /// <summary>What kind of rule decided, for the planner's own summaries; not part of the API's shape.</summary>
    internal DeviceOutcome Outcome { get; init; }
}

/// <summary>Which kind of rule decided a device's plan.</summary>
internal enum DeviceOutcome
{
    /// <summary>The certificate, signer and TVS rules.</summary>
    Ordinary,

    /// <summary>The phone model alone (no ITL support, no SHA-512): no certificate change alters it.</summary>
    ByModel,

    /// <summary>The phone holds another ITL than the one served now, so what it trusts is unknown.</summary>
    AtRisk,
}
