using SbdServer.Core.Cluster;
using SbdServer.Core.Errors;
using SbdServer.Core.Provisioning;
using SbdServer.Core.Storage;
using SbdServer.Wire.Itl;

namespace SbdServer.Core.CertificateStore;

/// <summary>The tokenless CTL's stored certificate set: written at mixed-mode enable and by the CTL update.</summary>
public sealed partial class CertificateManager
{
    /// <summary>The stored CTL and whether it still lists the cluster's current certificates.</summary>
    public async Task<CtlView> GetCtlAsync(CancellationToken cancellationToken)
    {
        var state = await store.LoadAsync(cancellationToken);
        _ = state.Cluster ?? throw new InvalidInputException("The cluster has not been created yet.");
        return CtlViewOf(state, state.CtlCertificates);
    }

    /// <summary>
    /// <c>utils ctl update CTLFile</c>: captures the CTL's certificate set again from the current certificates, so the
    /// CTL lists regenerated CallManager, CAPF and ITLRecovery certificates. Phones take it at their next reset.
    /// Only in mixed mode; audited.
    /// </summary>
    public async Task<CtlView> UpdateCtlAsync(string actor, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var clusterLock = await store.AcquireWriteLockAsync(cancellationToken);
            var state = await store.LoadAsync(cancellationToken);
            var cluster = state.Cluster ?? throw new InvalidInputException("The cluster has not been created yet.");
            if (cluster.SecurityMode != SecurityMode.Mixed)
            {
                throw new InvalidInputException(
                    "The cluster is not in mixed mode, so there is no CTL to update; set ClusterSecurityMode to Mixed first (utils ctl set-cluster mixed-mode).");
            }

            var differences = CtlContent.Differences(state);
            var changes = new SecurityChangeSet();
            var captured = CaptureCtl(changes, state);
            changes.Audit.Add(Audit(actor, "ctl.update", "CTLFile.tlv",
                differences.Count == 0 ? $"{captured.Count} records; nothing had changed" : $"{captured.Count} records; " + string.Join("; ", differences)));
            changes.Changes.Add(Change(Events.CertificateStoreChangeKind.ParameterChanged, null, "Ctl", null));
            await store.CommitAsync(changes, cancellationToken);
            return CtlViewOf(state with { CtlCertificates = captured }, captured);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Replaces the stored CTL set in <paramref name="changes"/> with one captured from <paramref name="state"/>.</summary>
    private List<CtlCertificate> CaptureCtl(SecurityChangeSet changes, SecuritySnapshot state)
    {
        changes.Removed.AddRange(state.CtlCertificates);
        var captured = CtlContent.Capture(state, time.GetUtcNow());
        changes.Added.AddRange(captured);
        return captured;
    }

    /// <summary>
    /// Mixed mode on captures the CTL (CUCM writes CTLFile.tlv at <c>set-cluster mixed-mode</c>); non-secure mode
    /// drops it. Called by the ClusterSecurityMode parameter change, inside its unit.
    /// </summary>
    private void OnSecurityModeChanged(SecurityChangeSet changes, SecuritySnapshot state, SecurityMode from, SecurityMode to)
    {
        if (from == to)
        {
            return;
        }

        if (to == SecurityMode.Mixed)
        {
            CaptureCtl(changes, state);
        }
        else
        {
            changes.Removed.AddRange(state.CtlCertificates);
        }
    }

    private static CtlView CtlViewOf(SecuritySnapshot state, IReadOnlyList<CtlCertificate> records)
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
