namespace SbdServer.Core.Impact;

/// <summary>
/// What an impact page shows of a plan: the totals, the per-group evaluation, the warnings and the first devices, by
/// name, that lose trust (a page lists a few and counts the rest).
/// </summary>
/// <param name="Kept">Devices that keep trust.</param>
/// <param name="Lost">Devices that would be locked out or are at risk.</param>
/// <param name="Groups">The per-CallManager-group evaluation.</param>
/// <param name="Warnings">What an admin should know before applying the change.</param>
/// <param name="LosingTrust">The first devices that lose trust, ordered by name.</param>
/// <param name="RequiresConfirmation">True when phones would be locked and the change needs confirming.</param>
public sealed record ChangeImpact(
    int Kept,
    int Lost,
    IReadOnlyList<GroupImpact> Groups,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<DevicePlan> LosingTrust,
    bool RequiresConfirmation)
{
    /// <summary>The page's view of a full plan, listing its first <paramref name="listed"/> devices that lose trust.</summary>
    public static ChangeImpact Of(ChangePlan plan, int listed)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new(plan.Kept, plan.Lost, plan.Groups, plan.Warnings, [.. plan.Devices.Where(d => !d.KeepsTrust).Take(listed)], false);
    }

    /// <summary>The page's view of a certificate change's report, as <see cref="Of(ChangePlan, int)"/>.</summary>
    public static ChangeImpact Of(ImpactReport report, int listed)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(report.Kept, report.Lost, report.Groups, report.Warnings, [.. report.Devices.Where(d => !d.KeepsTrust).Take(listed)],
            report.RequiresConfirmation);
    }
}
