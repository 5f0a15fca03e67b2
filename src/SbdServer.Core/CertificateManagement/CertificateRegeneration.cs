using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Impact;
using SbdServer.Core.Provisioning;
using SbdServer.Core.Storage;

namespace SbdServer.Core.CertificateManagement;

/// <summary>Regenerating an identity certificate (new self-signed certificate and key), with its impact check.</summary>
public sealed class CertificateRegeneration(SecurityUnitOfWork unit, IdentityMint mint, DeviceImpact impact)
{
    /// <summary>The impact a regeneration would have (with <paramref name="key"/>, null: the same), without changing anything.</summary>
    public async Task<ImpactReport> PreviewAsync(string nodeName, string name, KeyAlgorithm? key, CancellationToken cancellationToken)
    {
        var state = await unit.LoadAsync(cancellationToken);
        var (node, identity) = Lookups.RequireIdentity(state, nodeName, name);
        return DeviceImpact.Analyze(
            state, [new(node.Name, identity.Name)], await impact.PlanningDevicesAsync(cancellationToken), Rekeyed(identity, key));
    }

    /// <summary>The impact page's view of <see cref="PreviewAsync"/>: totals and the first <paramref name="listed"/> phones that lose trust.</summary>
    public async Task<ChangeImpact> PreviewImpactAsync(
        string nodeName, string name, KeyAlgorithm? key, int listed, CancellationToken cancellationToken)
    {
        var state = await unit.LoadAsync(cancellationToken);
        var (node, identity) = Lookups.RequireIdentity(state, nodeName, name);
        return await impact.ImpactAsync(state, [new(node.Name, identity.Name)], listed, Rekeyed(identity, key), cancellationToken);
    }

    /// <summary>
    /// Replaces an identity certificate with a new self-signed one (new key; <paramref name="key"/> null keeps the
    /// algorithm and size). The old certificate and key move to history in the same transaction.
    /// </summary>
    public Task<ImpactReport> RegenerateAsync(
        string nodeName, string name, KeyAlgorithm? key, bool confirm, string actor, CancellationToken cancellationToken) =>
        unit.RunAsync(async (state, changes, ct) =>
        {
            var (node, identity) = Lookups.RequireIdentity(state, nodeName, name);
            var devices = await impact.DevicesAsync(ct);
            var report = DeviceImpact.Check(state, [new(node.Name, identity.Name)], devices, confirm, Rekeyed(identity, key));
            var before = ItlContent.Fingerprints(state);
            var owner = state.Nodes.First(n => n.Id == identity.NodeId);
            mint.Replace(changes, state, owner, identity, key ?? identity.KeyAlgorithm, "regenerated", actor);
            var resets = impact.RequestResets(changes, before, state, devices, actor, $"{owner.Name}/{identity.Name} regenerated");
            return report with { Applied = true, ResetDevices = resets };
        }, cancellationToken);

    // A regeneration with another key changes the ITL's size (scenario 27); with the same key it stays what it is.
    private static Dictionary<Guid, CertificateReplacement>? Rekeyed(IdentityCertificate identity, KeyAlgorithm? key) =>
        key is { } k && k != identity.KeyAlgorithm ? new() { [identity.Id] = new CertificateReplacement(Key: k) } : null;
}
