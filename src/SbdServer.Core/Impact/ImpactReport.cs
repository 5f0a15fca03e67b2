namespace SbdServer.Core.Impact;

/// <summary>What a certificate change does to the phones; returned by every ITL-relevant change.</summary>
// Requested: The changes asked for now.
// PendingSinceLastPropagation: Earlier changes phones have not yet picked up; they count as "together".
// ItlSignerChanges: Nodes (or the cluster ITLRecovery) whose ITL signer certificate changes.
// TvsChanges: Nodes whose TVS certificate changes.
// RequiresConfirmation: True when phones would be locked; the change needs <c>confirm=true</c>.
public sealed record ImpactReport(
    IReadOnlyList<CertificateChange> Requested,
    IReadOnlyList<CertificateChange> PendingSinceLastPropagation,
    IReadOnlyList<string> ItlSignerChanges,
    IReadOnlyList<string> TvsChanges,
    IReadOnlyList<GroupImpact> Groups,
    IReadOnlyList<string> Warnings,
    bool RequiresConfirmation,
    bool Applied)
{
    /// <summary>Per device: whether it keeps trust and why (empty when the caller has no device list).</summary>
    public IReadOnlyList<DevicePlan> Devices { get; init; } = [];

    /// <summary>Devices that keep trust.</summary>
    public int Kept { get; init; }

    /// <summary>Devices that would be locked out or are at risk.</summary>
    public int Lost { get; init; }

    /// <summary>Devices marked for an automatic reset because their ITL changed (only once applied).</summary>
    public IReadOnlyList<string> ResetDevices { get; init; } = [];
}
