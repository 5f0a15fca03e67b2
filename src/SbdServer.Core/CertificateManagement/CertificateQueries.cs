using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Devices;
using SbdServer.Core.Errors;
using SbdServer.Core.Nodes;
using SbdServer.Core.Provisioning;
using SbdServer.Core.Storage;

namespace SbdServer.Core.CertificateManagement;

/// <summary>Reads of the certificate store: nodes, their certificates, a certificate's DER, an identity with its key.</summary>
public sealed class CertificateQueries(SecurityUnitOfWork unit, IKeyProtector keys, PendingCsrReader csrs)
{
    public async Task<IReadOnlyList<ClusterNode>> GetNodesAsync(CancellationToken cancellationToken) =>
        (await unit.LoadAsync(cancellationToken)).Nodes;

    public async Task<IReadOnlyList<CertificateView>> GetCertificatesAsync(string nodeName, CancellationToken cancellationToken)
    {
        var state = await unit.LoadAsync(cancellationToken);
        return CertificatesOf(state, Lookups.RequireNode(state, nodeName));
    }

    /// <summary>
    /// Every node with its certificates as <see cref="GetCertificatesAsync"/> lists them and its pending CSRs, from one
    /// read of the state.
    /// </summary>
    public async Task<IReadOnlyList<NodeCertificates>> GetAllCertificatesAsync(CancellationToken cancellationToken)
    {
        var state = await unit.LoadAsync(cancellationToken);
        return [.. state.Nodes.Select(n => new NodeCertificates(n, CertificatesOf(state, n)) { PendingCsrs = csrs.Of(state, n) })];
    }

    /// <summary>Each TFTP node's ITL size now and whether phones can load it (scenario 27), from one read of the state.</summary>
    public async Task<IReadOnlyList<ItlSizeView>> GetItlSizesAsync(CancellationToken cancellationToken)
    {
        var state = await unit.LoadAsync(cancellationToken);
        if (state.Cluster is null)
        {
            return [];
        }

        var over = ItlContent.Oversized(state).ToDictionary(o => o.Node.Id, o => o.Warning);
        return [.. ItlContent.TftpNodeSizes(state, state.Cluster.ItlSignerMode)
            .Select(s => new ItlSizeView(s.Node.Name, s.Bytes, PhoneModel.ItlLimitBytes, over.GetValueOrDefault(s.Node.Id)))];
    }

    private static List<CertificateView> CertificatesOf(SecuritySnapshot state, ClusterNode node)
    {
        var identities = state.Identities
            .Where(c => c.NodeId == node.Id || (c.Name == CertificateStores.ItlRecovery && node.IsPublisher))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .Select(CertificateView.Of);
        var trust = state.TrustCertificates.OrderBy(c => c.Store, StringComparer.Ordinal).ThenBy(c => c.Subject, StringComparer.Ordinal)
            .Select(CertificateView.Of);
        return [.. identities, .. trust];
    }

    /// <summary>DER of the identity certificate <paramref name="name"/>, or of a trust certificate by SHA-256.</summary>
    public async Task<byte[]> GetCertificateDerAsync(string nodeName, string name, CancellationToken cancellationToken)
    {
        var state = await unit.LoadAsync(cancellationToken);
        var node = Lookups.RequireNode(state, nodeName);
        var identity = CertificateStores.FindIdentity(name);
        if (identity is not null)
        {
            return (state.FindIdentity(node, identity)
                ?? throw new NotFoundException($"Node '{node.Name}' has no {identity} certificate.")).Der;
        }

        var trust = state.TrustCertificates.FirstOrDefault(c => string.Equals(c.Sha256, name, StringComparison.OrdinalIgnoreCase));
        return trust?.Der ?? throw new NotFoundException(
            $"'{UserText.Echo(name)}' is neither an identity certificate name ({string.Join(", ", CertificateStores.Identities)}) nor the SHA-256 of a trust certificate.");
    }

    /// <summary>
    /// The identity certificate and its unsealed private key (PKCS#8), for the signer (ITL, .sgn), TVS and CAPF
    /// listeners of this process. The caller owns the key bytes and must wipe them.
    /// </summary>
    public async Task<CertificateWithKey> GetIdentityWithKeyAsync(string nodeName, string name, CancellationToken cancellationToken)
    {
        var state = await unit.LoadAsync(cancellationToken);
        var (_, identity) = Lookups.RequireIdentity(state, nodeName, name);
        return new CertificateWithKey(identity.Der, keys.Unprotect(identity.ProtectedKey));
    }
}
