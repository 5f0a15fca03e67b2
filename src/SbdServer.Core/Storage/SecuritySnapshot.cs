using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Errors;
using SbdServer.Core.Nodes;
using SbdServer.Core.Parameters;

namespace SbdServer.Core.Storage;

/// <summary>The current security state, read in one go (it is small: a few nodes, tens of certificates).</summary>
public sealed record SecuritySnapshot(
    ClusterSettings? Cluster,
    IReadOnlyList<ClusterNode> Nodes,
    IReadOnlyList<CallManagerGroup> Groups,
    IReadOnlyList<IdentityCertificate> Identities,
    IReadOnlyList<TrustCertificate> TrustCertificates,
    IReadOnlyList<EnterpriseParameter> Parameters,
    IReadOnlyList<PendingItlChange> PendingItlChanges)
{
    /// <summary>The CTL's captured records (mixed mode), in order; empty in a non-secure cluster.</summary>
    public IReadOnlyList<CtlCertificate> CtlCertificates { get; init; } = [];

    public ClusterNode? FindNode(string name) =>
        Nodes.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase));

    public ClusterNode? Publisher => Nodes.FirstOrDefault(n => n.IsPublisher);

    /// <summary>The identity certificate <paramref name="name"/> of <paramref name="node"/>; ITLRecovery is cluster-wide.</summary>
    public IdentityCertificate? FindIdentity(ClusterNode node, string name) =>
        name == CertificateStores.ItlRecovery
            ? Identities.FirstOrDefault(c => c.Name == name)
            : Identities.FirstOrDefault(c => c.NodeId == node.Id && c.Name == name);

    public string ParameterValue(string name) =>
        Parameters.FirstOrDefault(p => p.Name == name)?.Value
        ?? EnterpriseParameterCatalog.Find(name)?.DefaultValue
        ?? throw new NotFoundException($"Unknown enterprise parameter '{name}'.");

    /// <summary>The configured groups, or one implicit group of up to three TVS nodes when none is configured.</summary>
    public IReadOnlyList<CallManagerGroup> EffectiveGroups()
    {
        if (Groups.Count > 0)
        {
            return Groups;
        }

        return
        [
            new CallManagerGroup
            {
                Name = CallManagerGroup.DefaultName,
                NodeNames = Nodes.OrderByDescending(n => n.IsPublisher).ThenBy(n => n.Name, StringComparer.Ordinal)
                    .Take(CallManagerGroup.MaxNodes).Select(n => n.Name).ToList(),
            },
        ];
    }

    /// <summary>The TFTP node the group's phones load their ITL from (the group's, else the cluster's first).</summary>
    public ClusterNode? TftpNodeOf(CallManagerGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return (group.TftpNodeName is null ? null : FindNode(group.TftpNodeName))
            ?? Nodes.Where(n => n.Services.HasFlag(NodeServices.Tftp))
                .OrderByDescending(n => n.IsPublisher).ThenBy(n => n.Name, StringComparer.Ordinal).FirstOrDefault();
    }
}
