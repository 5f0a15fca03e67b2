using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Errors;
using SbdServer.Core.Nodes;
using SbdServer.Core.Parameters;
using SbdServer.Core.Storage;

namespace SbdServer.Core.CertificateManagement;

/// <summary>Finds what a command names in a loaded state, or refuses with what exists.</summary>
internal static class Lookups
{
    public static ClusterNode RequireNode(SecuritySnapshot state, string nodeName) =>
        state.FindNode(nodeName) ?? throw new NotFoundException($"No node named '{UserText.Echo(nodeName)}'.");

    public static (ClusterNode Node, IdentityCertificate Identity) RequireIdentity(SecuritySnapshot state, string nodeName, string name)
    {
        var node = RequireNode(state, nodeName);
        var canonical = CertificateStores.FindIdentity(name)
            ?? throw new InvalidInputException(
                $"'{UserText.Echo(name)}' is not an identity certificate; use one of {string.Join(", ", CertificateStores.Identities)}.");
        var identity = state.FindIdentity(node, canonical)
            ?? throw new NotFoundException($"Node '{node.Name}' has no {canonical} certificate.");
        return (node, identity);
    }

    public static string RequireTrustStore(string storeName) =>
        CertificateStores.FindTrustStore(storeName)
        ?? throw new InvalidInputException(
            $"'{UserText.Echo(storeName)}' is not a trust store; use one of {string.Join(", ", CertificateStores.TrustStores)}.");

    public static ParameterDefinition RequireParameter(string name) =>
        EnterpriseParameterCatalog.Find(name)
        ?? throw new NotFoundException(
            $"Unknown enterprise parameter '{UserText.Echo(name)}'; known: {string.Join(", ", EnterpriseParameterCatalog.All.Select(p => p.Name))}.");

    public static ClusterSettings RequireCluster(SecuritySnapshot state) =>
        state.Cluster ?? throw new InvalidInputException("The cluster has not been created yet.");
}
