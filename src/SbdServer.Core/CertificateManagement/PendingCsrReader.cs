using System.Security.Cryptography;
using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Nodes;
using SbdServer.Core.Storage;

namespace SbdServer.Core.CertificateManagement;

/// <summary>Turns the pending CSRs kept on identity rows into what the API and the admin pages show.</summary>
public sealed class PendingCsrReader(IKeyProtector keys, ICertificateFactory factory, ICertificateInspector inspector, LocalNodeOptions subject)
{
    /// <summary>The CSR pending on <paramref name="identity"/>, or null when none is.</summary>
    public PendingCsrView? ViewOf(ClusterNode node, IdentityCertificate identity)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(identity);
        if (identity.PendingCsrKey is null)
        {
            return null;
        }

        var der = identity.PendingCsr ?? Rebuild(node, identity);
        return new PendingCsrView(node.Name, identity.Name, identity.PendingCsrAt, der, inspector.InspectCsr(der));
    }

    /// <summary>The CSRs pending for <paramref name="node"/>'s own identity certificates, by certificate name.</summary>
    public IReadOnlyList<PendingCsrView> Of(SecuritySnapshot state, ClusterNode node)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(node);
        return [.. state.Identities
            .Where(i => i.NodeId == node.Id && i.PendingCsrKey is not null)
            .OrderBy(i => i.Name, StringComparer.Ordinal)
            .Select(i => ViewOf(node, i)!)];
    }

    // A key pending from before CSRs were kept has no stored request; the same request (subject, SANs, key) is signed
    // again from the key rather than making the admin generate a new key their CA may already be signing.
    private byte[] Rebuild(ClusterNode node, IdentityCertificate identity)
    {
        var key = keys.Unprotect(identity.PendingCsrKey!);
        try
        {
            return factory.CreateCsr(IdentitySpecs.For(identity.Name, node, subject, identity.KeyAlgorithm), key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
