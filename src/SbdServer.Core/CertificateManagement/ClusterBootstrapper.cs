using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Devices;
using SbdServer.Core.Errors;
using SbdServer.Core.Events;
using SbdServer.Core.Nodes;
using SbdServer.Core.Parameters;
using SbdServer.Core.Provisioning;
using SbdServer.Core.Storage;

namespace SbdServer.Core.CertificateManagement;

/// <summary>
/// First start: creates the cluster, this node and its certificates. Later starts: proves the security password and
/// adds only what is missing; nothing that exists is ever regenerated.
/// </summary>
public sealed class ClusterBootstrapper(
    ISecurityStore store,
    SecurityUnitOfWork unit,
    IdentityMint mint,
    IKeyProtector keys,
    LocalNodeOptions local,
    TimeProvider time)
{
    public const string Actor = "system";

    /// <summary>Outcome of <see cref="EnsureAsync"/>.</summary>
    public enum Outcome
    {
        ClusterCreated,
        NodeJoined,
        Existing,
    }

    public async Task<Outcome> EnsureAsync(CancellationToken cancellationToken)
    {
        var state = await store.LoadAsync(cancellationToken);
        if (state.Cluster is null)
        {
            try
            {
                await CreateClusterAsync(cancellationToken);
                return Outcome.ClusterCreated;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Another node may have created the cluster first (both started on an empty shared database): join
                // it. Anything else is rethrown.
                state = await store.LoadAsync(cancellationToken);
                if (state.Cluster is null)
                {
                    throw;
                }
            }
        }

        return await JoinOrCheckAsync(state, cancellationToken);
    }

    private async Task<Outcome> JoinOrCheckAsync(SecuritySnapshot state, CancellationToken cancellationToken)
    {
        if (state.Cluster is null)
        {
            throw new InvalidOperationException("The cluster disappeared while starting.");
        }

        try
        {
            keys.VerifyPassword(state.Cluster.PasswordVerifier);
        }
        catch (WrongPasswordException ex)
        {
            throw new WrongPasswordException(
                "Sbd:Cluster:SecurityPassword is not the password this cluster was created with; refusing to start " +
                "(nothing was changed or regenerated).", ex);
        }

        var node = state.FindNode(local.Name);
        var changes = new SecurityChangeSet();
        var outcome = Outcome.Existing;
        if (node is null)
        {
            node = LocalNode(isPublisher: false, NodeServices.Tftp | NodeServices.Tvs);
            changes.Added.Add(node);
            changes.Audit.Add(unit.Audit(Actor, "node.join", node.Name, $"{node.Fqdn} {node.IpAddress}"));
            changes.Changes.Add(unit.Change(CertificateStoreChangeKind.NodeChanged, node.Name, null, null));
            var group = state.Groups.FirstOrDefault(g => g.Name == CallManagerGroup.DefaultName);
            if (group is not null && group.NodeNames.Count < CallManagerGroup.MaxNodes)
            {
                group.NodeNames = [.. group.NodeNames, node.Name];
                changes.Updated.Add(group);
            }

            outcome = Outcome.NodeJoined;
        }
        else if (HostAddresses.Normalize(local.HostAddress) is { } configured
            && !string.Equals(node.HostAddress, configured, StringComparison.Ordinal))
        {
            changes.Audit.Add(unit.Audit(Actor, "node.host-address", node.Name, $"Host Name/IP Address {node.PhoneFacingHost} -> {configured} (configuration)"));
            node.HostAddress = configured;
            changes.Updated.Add(node);
            changes.Changes.Add(unit.Change(CertificateStoreChangeKind.NodeChanged, node.Name, null, null));
        }

        // Only certificates that do not exist yet are created (e.g. a node added before it first started).
        var minted = new List<IdentityCertificate>();
        foreach (var name in CertificateStores.NodeIdentities)
        {
            if (state.FindIdentity(node, name) is null)
            {
                minted.Add(AddIdentity(changes, node, name));
            }
        }

        if (outcome == Outcome.NodeJoined)
        {
            // Scenario 27: the join adds this node's TVS record to every TFTP node's ITL (and a new ITL of its own).
            // The audit says so next to the join, where an admin asks "what changed"; the dashboard and the start-up
            // log say it for as long as it lasts.
            var after = state with { Nodes = [.. state.Nodes, node], Identities = [.. state.Identities, .. minted] };
            if (ItlContent.Oversized(after) is { Count: > 0 } over)
            {
                var largest = over.OrderByDescending(o => o.Bytes).ThenBy(o => o.Node.Name, StringComparer.Ordinal).ToList();
                var nodes = string.Join(", ", largest.Select(o => $"{o.Node.Name} {o.Bytes}"));
                changes.Audit.Add(unit.Audit(Actor, "itl.oversized", node.Name,
                    $"after {node.Name} joined, {over.Count} TFTP node(s) serve an ITL over the {PhoneModel.ItlLimitBytes} bytes phones load " +
                    $"(bytes, largest first: {(nodes.Length <= 1000 ? nodes : nodes[..1000] + "...")}). {largest[0].Warning}"));
            }
        }

        if (!changes.IsEmpty)
        {
            await store.CommitAsync(changes, cancellationToken);
        }

        return outcome;
    }

    // The publisher and a joining node differ only in these two fields; the rest comes from this node's settings.
    private ClusterNode LocalNode(bool isPublisher, NodeServices services) => new()
    {
        Id = Guid.CreateVersion7(),
        Name = local.Name,
        Fqdn = local.Fqdn,
        IpAddress = local.Address,
        HostAddress = HostAddresses.Normalize(local.HostAddress),
        IsPublisher = isPublisher,
        Services = services,
    };

    private async Task CreateClusterAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var changes = new SecurityChangeSet();
        var cluster = new ClusterSettings
        {
            Id = Guid.CreateVersion7(),
            Name = local.ClusterName,
            SecurityMode = SecurityMode.NonSecure,
            ItlSignerMode = ItlSignerMode.ItlRecovery,
            PasswordVerifier = keys.CreatePasswordVerifier(),
            CreatedAt = now,
        };
        var node = LocalNode(isPublisher: true, NodeServices.Tftp | NodeServices.Tvs | NodeServices.Capf);
        changes.Added.Add(cluster);
        changes.Added.Add(node);
        changes.Added.Add(new CallManagerGroup { Id = Guid.CreateVersion7(), Name = CallManagerGroup.DefaultName, NodeNames = [node.Name] });
        foreach (var definition in EnterpriseParameterCatalog.All)
        {
            if (definition.Name is EnterpriseParameterCatalog.ClusterSecurityMode or EnterpriseParameterCatalog.ItlSignerMode)
            {
                continue;
            }

            changes.Added.Add(new EnterpriseParameter
            {
                Name = definition.Name,
                Value = definition.DefaultValue.Replace("{fqdn}", node.Fqdn, StringComparison.Ordinal),
                UpdatedAt = now,
            });
        }

        foreach (var name in CertificateStores.Identities)
        {
            AddIdentity(changes, node, name);
        }

        changes.Audit.Add(unit.Audit(Actor, "cluster.create", cluster.Name, $"publisher {node.Name} ({node.Fqdn})"));
        changes.Changes.Add(unit.Change(CertificateStoreChangeKind.ClusterCreated, node.Name, null, null));
        await store.CommitAsync(changes, cancellationToken);
    }

    private IdentityCertificate AddIdentity(SecurityChangeSet changes, ClusterNode node, string name)
    {
        var identity = mint.Mint(node, name, KeyAlgorithm.Rsa2048);
        changes.Added.Add(identity);
        changes.Audit.Add(unit.Audit(Actor, "certificate.create", $"{node.Name}/{name}", $"SHA-256 {identity.Sha256}"));
        changes.Changes.Add(unit.Change(CertificateStoreChangeKind.IdentityCertificateChanged, node.Name, name, identity.Sha256));
        return identity;
    }
}
