using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Errors;
using SbdServer.Core.Nodes;
using SbdServer.Core.Storage;

namespace SbdServer.Core.Impact;

/// <summary>
/// Evaluates the seed's rule "never change the ITL signer and the TVS certificate phones rely on together"
/// (cucm-reference 0.9, scenarios 7-13) for the cluster's signer mode and CallManager groups.
/// </summary>
/// <remarks>
/// A phone accepts a new ITL when its signer is in the phone's current ITL, or when a TVS server of its group (then
/// the TFTP node as last resort) whose certificate is still in that ITL vouches for the new signer. Changes since the
/// last propagation are added to the requested ones, because phones have not seen the ITL in between. This is the one
/// place with that rule: <see cref="ChangePlanner"/> and the certificate routes build on it.
/// </remarks>
public static class ImpactAnalyzer
{
    /// <param name="state">The current state (phones hold the ITL it serves, minus pending changes).</param>
    /// <param name="requested">The certificates that change now.</param>
    /// <param name="applied">Whether the change has been committed.</param>
    /// <param name="newSignerMode">The ITL signer mode after the change, when it changes too.</param>
    /// <param name="newItlReset">Whether a bulk ITL reset is in force after the change, when that changes too.</param>
    public static ImpactReport Analyze(
        SecuritySnapshot state, IReadOnlyList<CertificateChange> requested, bool applied = false, ItlSignerMode? newSignerMode = null,
        bool? newItlReset = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(requested);
        var cluster = state.Cluster ?? throw new InvalidInputException("The cluster has not been created yet.");
        var nodeById = state.Nodes.ToDictionary(n => n.Id);
        var pending = state.PendingItlChanges
            .Where(p => nodeById.ContainsKey(p.NodeId))
            .Select(p => new CertificateChange(nodeById[p.NodeId].Name, p.CertificateName))
            .Distinct()
            .ToList();
        var all = pending.Concat(requested).Distinct().ToList();

        bool Changes(string node, string certificate) => all.Any(c =>
            c.Certificate == certificate
            && (certificate == CertificateStores.ItlRecovery || string.Equals(c.Node, node, StringComparison.OrdinalIgnoreCase)));

        var currentMode = cluster.ItlSignerMode;
        var targetMode = newSignerMode ?? currentMode;

        // During a bulk ITL reset the TFTP node's CallManager signs, as in CallManager mode.
        var targetReset = targetMode == ItlSignerMode.ItlRecovery && (newItlReset ?? cluster.ItlResetSince is not null);
        var recoverySigns = targetMode == ItlSignerMode.ItlRecovery && !targetReset;
        var itlRecoveryChanges = all.Any(c => c.Certificate == CertificateStores.ItlRecovery);
        var signerChanges = recoverySigns
            ? (itlRecoveryChanges ? ["ITLRecovery"] : [])
            : all.Where(c => c.Certificate == CertificateStores.CallManager && IsTftp(state, c.Node))
                .Select(c => c.Node).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var tvsChanges = all.Where(c => c.Certificate == CertificateStores.Tvs)
            .Select(c => c.Node).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        var groups = new List<GroupImpact>();
        var warnings = new List<string>();
        foreach (var group in state.EffectiveGroups())
        {
            var tftp = state.TftpNodeOf(group);
            string? signer = null;
            var signerChanged = false;
            if (tftp is not null)
            {
                signer = recoverySigns ? "ITLRecovery" : $"{tftp.Name}/{CertificateStores.CallManager}";
                var signerName = recoverySigns ? CertificateStores.ItlRecovery : CertificateStores.CallManager;

                // The phone verifies the new ITL directly when its signer is a certificate of its current ITL (any
                // role: after "utils itl reset localkey" phones accept an ITL signed by the CallManager record; the
                // reset ITL still carries the ITLRecovery) that has not changed since.
                var inCurrentItl = targetMode == currentMode || signerName == CertificateStores.CallManager;
                signerChanged = !inCurrentItl || Changes(tftp.Name, signerName);
                var changedSigner = signerName == CertificateStores.ItlRecovery ? "ITLRecovery" : tftp.Name;
                if (signerChanged && !signerChanges.Contains(changedSigner, StringComparer.OrdinalIgnoreCase))
                {
                    signerChanges.Add(changedSigner);
                }
            }

            var tvsCandidates = group.NodeNames
                .Select(state.FindNode)
                .Append(tftp)
                .OfType<ClusterNode>()
                .Where(n => n.Services.HasFlag(NodeServices.Tvs))
                .DistinctBy(n => n.Id)
                .ToList();
            var trustedTvs = tvsCandidates.Where(n => !Changes(n.Name, CertificateStores.Tvs)).Select(n => n.Name).ToList();
            var locked = signerChanged && trustedTvs.Count == 0;
            if (locked)
            {
                warnings.Add(
                    $"Phones in CallManager group '{group.Name}' will be locked out: the ITL signer {signer} changes and " +
                    "none of their TVS servers keeps a certificate their current ITL trusts. They show " +
                    "\"Trust List Update Failed\" until the ITL is deleted on every phone.");
            }

            groups.Add(new GroupImpact(group.Name, tftp?.Name, signer, signerChanged, trustedTvs, locked)
            {
                TvsNodes = [.. tvsCandidates.Select(n => n.Name)],
            });
        }

        if (pending.Count > 0 && requested.Except(pending).Any())
        {
            warnings.Add(
                "Earlier certificate changes have not been propagated to phones yet; they are evaluated together with " +
                "this one. Acknowledge propagation with POST /api/nodes/{node}/itl/propagated once phones fetched the ITL.");
        }

        return new ImpactReport(
            requested, pending, signerChanges, tvsChanges, groups, warnings,
            RequiresConfirmation: groups.Any(g => g.PhonesLocked), Applied: applied);
    }

    private static bool IsTftp(SecuritySnapshot state, string node) =>
        state.FindNode(node)?.Services.HasFlag(NodeServices.Tftp) == true;
}
