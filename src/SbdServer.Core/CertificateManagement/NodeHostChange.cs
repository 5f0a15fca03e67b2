using System.ComponentModel.DataAnnotations;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Errors;
using SbdServer.Core.Events;
using SbdServer.Core.Impact;
using SbdServer.Core.Nodes;
using SbdServer.Core.Provisioning;
using SbdServer.Core.Storage;

namespace SbdServer.Core.CertificateManagement;

/// <summary>A node's names: a host rename (every identity certificate regenerated) and its "Host Name/IP Address".</summary>
public sealed class NodeHostChange(SecurityUnitOfWork unit, IdentityMint mint, DeviceImpact impact)
{
    /// <summary>
    /// Changes a node's host name and/or domain: all of its identity certificates are regenerated at once, with the
    /// same impact check (cucm-reference scenario 24).
    /// </summary>
    public Task<ImpactReport> ChangeHostAsync(
        string nodeName, string newFqdn, string? newAddress, bool confirm, string actor, CancellationToken cancellationToken)
    {
        var fqdnCheck = new LocalNodeOptions { Fqdn = newFqdn, Address = newAddress ?? "127.0.0.1" };
        var validation = new List<ValidationResult>();
        if (!Validator.TryValidateObject(fqdnCheck, new ValidationContext(fqdnCheck), validation, true))
        {
            throw new InvalidInputException(string.Join(" ", validation.Select(v => v.ErrorMessage)).Replace("Sbd:Node:", "", StringComparison.Ordinal));
        }

        return unit.RunAsync(async (state, changes, ct) =>
        {
            var node = Lookups.RequireNode(state, nodeName);
            var owned = state.Identities.Where(c => c.NodeId == node.Id).ToList();
            var devices = await impact.DevicesAsync(ct);
            var report = DeviceImpact.Check(state, [.. owned.Where(c => CertificateStores.ItlRelevant.Contains(c.Name))
                .Select(c => new CertificateChange(node.Name, c.Name))], devices, confirm);
            var before = ItlContent.Fingerprints(state);
            var oldFqdn = node.Fqdn;
            node.Fqdn = newFqdn;
            node.IpAddress = newAddress ?? node.IpAddress;
            changes.Updated.Add(node);
            foreach (var identity in owned)
            {
                mint.Replace(changes, state, node, identity, identity.KeyAlgorithm, "host changed", actor);
            }

            changes.Audit.Add(unit.Audit(actor, "node.host-changed", node.Name, $"FQDN {oldFqdn} -> {newFqdn}"));
            changes.Changes.Add(unit.Change(CertificateStoreChangeKind.NodeChanged, node.Name, null, null));
            var resets = impact.RequestResets(changes, before, state, devices, actor, $"host of {node.Name} changed");
            return report with { Applied = true, ResetDevices = resets };
        }, cancellationToken);
    }

    /// <summary>
    /// Sets the node's "Host Name/IP Address" (what configs name it by); null or empty goes back to the FQDN. No
    /// certificate changes: they keep the host name, so no phone's trust is affected, only the configs it is served.
    /// </summary>
    public Task<ClusterNode> SetHostAddressAsync(string nodeName, string? hostAddress, string actor, CancellationToken cancellationToken)
    {
        var value = HostAddresses.Normalize(hostAddress);
        return unit.RunAsync((state, changes) =>
        {
            var node = Lookups.RequireNode(state, nodeName);
            if (string.Equals(node.HostAddress, value, StringComparison.Ordinal))
            {
                return node;
            }

            var old = node.PhoneFacingHost;
            node.HostAddress = value;
            changes.Updated.Add(node);
            changes.Audit.Add(unit.Audit(actor, "node.host-address", node.Name, $"Host Name/IP Address {old} -> {node.PhoneFacingHost}"));
            changes.Changes.Add(unit.Change(CertificateStoreChangeKind.NodeChanged, node.Name, null, null));
            return node;
        }, cancellationToken);
    }
}
