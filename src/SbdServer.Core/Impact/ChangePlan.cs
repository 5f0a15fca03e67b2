namespace SbdServer.Core.Impact;

/// <summary>The outcome of <c>POST /api/plan</c>: per device and in total, plus the per-group evaluation behind it.</summary>
/// <param name="Devices">Every device, ordered by name.</param>
/// <param name="Kept">Devices that keep trust.</param>
/// <param name="Lost">Devices that would be locked out or are at risk.</param>
/// <param name="Groups">The per-CallManager-group evaluation of the certificate part of the change.</param>
/// <param name="Warnings">What an admin should know before applying the change.</param>
public sealed record ChangePlan(
    IReadOnlyList<DevicePlan> Devices,
    int Kept,
    int Lost,
    IReadOnlyList<GroupImpact> Groups,
    IReadOnlyList<string> Warnings);
