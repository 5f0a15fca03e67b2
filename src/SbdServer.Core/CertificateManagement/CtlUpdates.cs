using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Errors;
using SbdServer.Core.Events;
using SbdServer.Core.Provisioning;
using SbdServer.Core.Storage;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Names;

namespace SbdServer.Core.CertificateManagement;

/// <summary>
/// The tokenless CTL's stored certificate set (scenario 20): written when mixed mode is enabled and by the CTL update
/// only, so a regenerated CallManager certificate is not in the CTL phones get until <c>utils ctl update CTLFile</c>.
/// </summary>
public sealed class CtlUpdates(SecurityUnitOfWork unit)
{
    /// <summary>The stored CTL and whether it still lists the cluster's current certificates.</summary>
    public async Task<CtlView> GetCtlAsync(CancellationToken cancellationToken)
    {
        var state = await unit.LoadAsync(cancellationToken);
        Lookups.RequireCluster(state);
        return ViewOf(state, state.CtlCertificates);
    }

    /// <summary>
    /// <c>utils ctl update CTLFile</c>: captures the CTL's certificate set again from the current certificates, so the
    /// CTL lists regenerated CallManager, CAPF and ITLRecovery certificates. Phones take it at their next reset.
    /// Only in mixed mode; audited.
    /// </summary>
    public Task<CtlView> UpdateCtlAsync(string actor, CancellationToken cancellationToken) =>
        unit.RunAsync((state, changes) =>
        {
            var cluster = Lookups.RequireCluster(state);
            if (cluster.SecurityMode != SecurityMode.Mixed)
            {
                throw new InvalidInputException(
                    "The cluster is not in mixed mode, so there is no CTL to update; set ClusterSecurityMode to Mixed first (utils ctl set-cluster mixed-mode).");
            }

            var differences = CtlContent.Differences(state);
            var captured = Capture(changes, state, unit.Time.GetUtcNow());
            changes.Audit.Add(unit.Audit(actor, "ctl.update", PhoneFileName.ClusterCtlName,
                differences.Count == 0
                    ? $"{captured.Count} records; nothing had changed"
                    : $"{captured.Count} records; " + string.Join("; ", differences)));
            changes.Changes.Add(unit.Change(CertificateStoreChangeKind.ParameterChanged, null, "Ctl", null));
            return ViewOf(state with { CtlCertificates = captured }, captured);
        }, cancellationToken);

    /// <summary>
    /// Mixed mode on captures the CTL (CUCM writes CTLFile.tlv at <c>set-cluster mixed-mode</c>); non-secure mode drops
    /// it. Part of the ClusterSecurityMode parameter change's unit.
    /// </summary>
    internal static void OnSecurityModeChanged(SecurityChangeSet changes, SecuritySnapshot state, SecurityMode from, SecurityMode to, DateTimeOffset now)
    {
        if (from == to)
        {
            return;
        }

        if (to == SecurityMode.Mixed)
        {
            Capture(changes, state, now);
        }
        else
        {
            changes.Removed.AddRange(state.CtlCertificates);
        }
    }

    /// <summary>Replaces the stored CTL set in <paramref name="changes"/> with one captured from <paramref name="state"/>.</summary>
    private static List<CtlCertificate> Capture(SecurityChangeSet changes, SecuritySnapshot state, DateTimeOffset now)
    {
        changes.Removed.AddRange(state.CtlCertificates);
        var captured = CtlContent.Capture(state, now);
        changes.Added.AddRange(captured);
        return captured;
    }

    private static CtlView ViewOf(SecuritySnapshot state, IReadOnlyList<CtlCertificate> records)
    {
        var mixed = state.Cluster?.SecurityMode == SecurityMode.Mixed;
        var differences = CtlContent.Differences(state);
        var views = records.OrderBy(r => r.Position).Select(r =>
        {
            var node = r.NodeId is { } id ? state.Nodes.FirstOrDefault(n => n.Id == id) : null;
            var now = r.Name == CertificateStores.ItlRecovery
                ? state.Identities.FirstOrDefault(i => i.Name == r.Name)
                : node is null ? null : state.FindIdentity(node, r.Name);
            return new CtlRecordView(
                r.Role switch { TrustRole.Sast => "SAST", TrustRole.CcmTftp => "CCM+TFTP", TrustRole.Capf => "CAPF", _ => r.Role.ToString() },
                r.Name, node?.Name, r.Subject, r.Sha256,
                now is not null && string.Equals(now.Sha256, r.Sha256, StringComparison.OrdinalIgnoreCase));
        }).ToList();
        return new CtlView(
            mixed, records.Count == 0 ? null : records[0].CapturedAt, views, differences.Count > 0, differences,
            differences.Count > 0 ? CtlContent.UpdateAdvice : null);
    }
}
