using SbdServer.Core.Devices;
using SbdServer.Core.Events;
using SbdServer.Core.Impact;
using SbdServer.Core.Parameters;
using SbdServer.Core.Provisioning;
using SbdServer.Core.Storage;

namespace SbdServer.Core.CertificateManagement;

/// <summary>
/// What a security change does to the phones: the impact report (with the per-device outcome of
/// <see cref="ChangePlanner"/> when a device source is given; the host passes one) and, once decided, the automatic
/// resets. A committed change that alters a device's ITL marks the device for reset when
/// <c>PhoneInteractionOnCertificateUpdate</c> is <c>ResetAutomatically</c> (cucm-reference 0.10); the mark is part of
/// the change's own transaction, so it happens once, on the node that made the change.
/// </summary>
public sealed class DeviceImpact(SecurityUnitOfWork unit, IPlanDeviceSource? planDevices = null)
{
    /// <summary>The devices the planner evaluates; none without a device source.</summary>
    public async Task<IReadOnlyList<PlannedDevice>> DevicesAsync(CancellationToken cancellationToken) =>
        planDevices is null ? [] : await planDevices.GetDevicesAsync(cancellationToken);

    /// <summary>
    /// The devices with only what the planner reads (no records), for previews that change nothing: loading every full
    /// device row cost more than the plan itself on the impact pages (docs/benchmarks.md, admin pages).
    /// </summary>
    public async Task<IReadOnlyList<PlannedDevice>> PlanningDevicesAsync(CancellationToken cancellationToken) =>
        planDevices is null ? [] : await planDevices.GetForPlanningAsync(cancellationToken);

    /// <summary>
    /// The impact report of <paramref name="requested"/>, per device when there are devices; <paramref name="replaced"/>
    /// says what replaces a certificate whose size changes (another key, a CA-signed upload), for the ITL size check.
    /// </summary>
    public static ImpactReport Analyze(
        SecuritySnapshot state, IReadOnlyList<CertificateChange> requested, IReadOnlyList<PlannedDevice> devices,
        IReadOnlyDictionary<Guid, CertificateReplacement>? replaced = null)
    {
        var report = ChangePlanner.WithItlSize(state, ImpactAnalyzer.Analyze(state, requested), replaced);
        return devices.Count == 0 ? report : ChangePlanner.Annotate(state, devices, report, replaced);
    }

    /// <summary>
    /// <see cref="Analyze"/> as an impact page shows it: the devices counted per population by the database and only
    /// the first <paramref name="listed"/> that lose trust read.
    /// </summary>
    public async Task<ChangeImpact> ImpactAsync(
        SecuritySnapshot state, IReadOnlyList<CertificateChange> requested, int listed,
        IReadOnlyDictionary<Guid, CertificateReplacement>? replaced, CancellationToken cancellationToken)
    {
        var report = ChangePlanner.WithItlSize(state, ImpactAnalyzer.Analyze(state, requested), replaced);
        var populations = planDevices is null ? [] : await planDevices.CountPopulationsAsync(cancellationToken);
        return populations.Count == 0
            ? ChangeImpact.Of(report, listed)
            : await ChangePlanner.AnnotatePopulations(state, populations, report, replaced).CompleteAsync(planDevices!, listed, cancellationToken);
    }

    /// <summary>Refuses a change that locks phones out unless <paramref name="confirm"/>; returns the report.</summary>
    public static ImpactReport Check(
        SecuritySnapshot state, IReadOnlyList<CertificateChange> requested, IReadOnlyList<PlannedDevice> devices, bool confirm,
        IReadOnlyDictionary<Guid, CertificateReplacement>? replaced = null)
    {
        var report = Analyze(state, requested, devices, replaced);
        return report.RequiresConfirmation && !confirm ? throw new ConfirmationRequiredException(report) : report;
    }

    /// <summary>
    /// Marks for reset every device whose TFTP node serves a different ITL after the change than before (same
    /// certificates, parameters and mode give the same ITL), when "Phone Interaction on Certificate Update" is
    /// ResetAutomatically. Part of <paramref name="changes"/>, so it commits (and is announced) with the change.
    /// </summary>
    public List<string> RequestResets(
        SecurityChangeSet changes, IReadOnlyDictionary<Guid, string> before, SecuritySnapshot after,
        IReadOnlyList<PlannedDevice> devices, string actor, string cause)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(devices);
        if (devices.Count == 0
            || after.Cluster is null
            || after.ParameterValue(EnterpriseParameterCatalog.PhoneInteractionOnCertificateUpdate) != "ResetAutomatically")
        {
            return [];
        }

        var at = unit.Time.GetUtcNow();
        var reset = new List<string>();
        var groups = after.EffectiveGroups();
        foreach (var device in ItlContent.ChangedFor(before, after, devices.Select(d => d.Record
            ?? throw new InvalidOperationException("Devices read for planning only cannot be marked for reset."))))
        {
            var group = groups.First(g => string.Equals(g.Name, device.CallManagerGroup, StringComparison.OrdinalIgnoreCase));
            device.ResetRequestedAt = at;
            device.UpdatedAt = at;
            changes.Updated.Add(device);
            changes.Changes.Add(new CertificateStoreChange(
                CertificateStoreChangeKind.DeviceResetRequested, unit.InstanceId, after.TftpNodeOf(group)?.Name, device.Name, null, at));
            reset.Add(device.Name);
        }

        if (reset.Count > 0)
        {
            var names = string.Join(", ", reset);
            changes.Audit.Add(unit.Audit(actor, "device.reset-automatic", $"{reset.Count} device(s)",
                $"{cause}: their ITL changed and PhoneInteractionOnCertificateUpdate is ResetAutomatically; " +
                (names.Length <= 1500 ? names : names[..1500] + "...")));
        }

        return reset;
    }

    /// <summary>
    /// Marks for reset the devices whose ITL a restore changes, by the same rule as a certificate change: the archive's
    /// devices (<paramref name="archived"/>, restored with the mark) or, for an archive without devices, the current
    /// ones (updated in <paramref name="changes"/>). Call it with the restore's own change set before committing.
    /// </summary>
    public async Task<IReadOnlyList<string>> RequestRestoreResetsAsync(
        SecurityChangeSet changes, SecuritySnapshot restored, IReadOnlyList<Device>? archived, string actor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(restored);
        var before = ItlContent.Fingerprints(await unit.LoadAsync(cancellationToken));
        var devices = archived is null
            ? await DevicesAsync(cancellationToken)
            : [.. archived.Select(d => new PlannedDevice(d, TrustFileState.NeverFetched))];
        return RequestResets(changes, before, restored, devices, actor, "backup restored");
    }
}
