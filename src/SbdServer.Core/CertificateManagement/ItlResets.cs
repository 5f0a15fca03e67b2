using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Errors;
using SbdServer.Core.Events;
using SbdServer.Core.Provisioning;
using SbdServer.Core.Storage;

namespace SbdServer.Core.CertificateManagement;

/// <summary>
/// The ITL's lifecycle outside certificate changes: CUCM's bulk ITL reset (<c>utils itl reset localkey</c>) and the
/// mark that phones fetched the current ITL (earlier changes then no longer count as "together").
/// </summary>
public sealed class ItlResets(SecurityUnitOfWork unit, DeviceImpact impact)
{
    /// <summary>The bulk ITL reset state.</summary>
    public async Task<ItlResetView> GetItlResetAsync(CancellationToken cancellationToken) =>
        ResetView(Lookups.RequireCluster(await unit.LoadAsync(cancellationToken)), []);

    /// <summary>
    /// <c>utils itl reset localkey</c> (CUCM 12+): until <see cref="EndItlResetAsync"/>, every TFTP node's ITL is signed
    /// by its own CallManager, which phones find in the ITL they hold, so phones that can no longer verify the
    /// ITLRecovery signer (it was regenerated, or restored without its key) accept it and learn the current
    /// ITLRecovery from it. Only in ITLRecovery signer mode; <c>remotekey</c> (an exported ITLRecovery pair) is not
    /// supported.
    /// </summary>
    public Task<ItlResetView> StartItlResetAsync(string? key, string actor, CancellationToken cancellationToken)
    {
        var normalized = key?.Trim().ToLowerInvariant();
        if (normalized == "remotekey")
        {
            throw new InvalidInputException(
                "remotekey (an ITLRecovery pair exported earlier) is not supported; use localkey: the reset ITL is signed by each TFTP node's CallManager.");
        }

        return normalized != "localkey"
            ? throw new InvalidInputException($"'{UserText.Echo(key ?? "")}' is not an ITL reset key; use localkey.")
            : ChangeItlResetAsync(start: true, actor, cancellationToken);
    }

    /// <summary>Ends the bulk ITL reset (CUCM: restart TFTP): ITLs are signed by ITLRecovery again.</summary>
    public Task<ItlResetView> EndItlResetAsync(string actor, CancellationToken cancellationToken) =>
        ChangeItlResetAsync(start: false, actor, cancellationToken);

    /// <summary>Phones depending on <paramref name="nodeName"/> fetched the current ITL: earlier changes no longer count as "together".</summary>
    public Task MarkItlPropagatedAsync(string nodeName, string actor, CancellationToken cancellationToken) =>
        unit.RunAsync((state, changes) =>
        {
            var node = Lookups.RequireNode(state, nodeName);
            changes.Removed.AddRange(state.PendingItlChanges.Where(p => p.NodeId == node.Id));
            changes.Audit.Add(unit.Audit(actor, "itl.propagated", node.Name, ""));
            changes.Changes.Add(unit.Change(CertificateStoreChangeKind.ItlPropagated, node.Name, null, null));
            return true;
        }, cancellationToken);

    private Task<ItlResetView> ChangeItlResetAsync(bool start, string actor, CancellationToken cancellationToken) =>
        unit.RunAsync(async (state, changes, ct) =>
        {
            var cluster = Lookups.RequireCluster(state);
            if (start && cluster.ItlSignerMode != ItlSignerMode.ItlRecovery)
            {
                throw new InvalidInputException(
                    "The bulk ITL reset is for the ITLRecovery signer mode (CUCM 12+); in CallManager mode the ITL is signed by CallManager already.");
            }

            if ((cluster.ItlResetSince is not null) == start)
            {
                return ResetView(cluster, []); // already in the asked state: nothing to sign again or reset
            }

            var before = ItlContent.Fingerprints(state);
            cluster.ItlResetSince = start ? unit.Time.GetUtcNow() : null;
            changes.Updated.Add(cluster);
            changes.Audit.Add(unit.Audit(actor, start ? "itl.reset" : "itl.reset-end", "localkey",
                start ? "ITLs signed by each TFTP node's CallManager" : "ITLs signed by ITLRecovery again"));
            changes.Changes.Add(unit.Change(CertificateStoreChangeKind.ParameterChanged, null, "ItlReset", null));
            var resets = impact.RequestResets(changes, before, state, await impact.DevicesAsync(ct), actor,
                start ? "bulk ITL reset (localkey)" : "bulk ITL reset ended");
            return ResetView(cluster, resets);
        }, cancellationToken);

    private static ItlResetView ResetView(ClusterSettings cluster, IReadOnlyList<string> resets)
    {
        var active = cluster.ItlResetSince is not null && cluster.ItlSignerMode == ItlSignerMode.ItlRecovery;
        return new ItlResetView(
            active, active ? "localkey" : null, active ? cluster.ItlResetSince : null,
            active || cluster.ItlSignerMode == ItlSignerMode.CallManager ? CertificateStores.CallManager : CertificateStores.ItlRecovery,
            resets);
    }
}
