using System.Security.Cryptography;
using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Events;
using SbdServer.Core.Nodes;
using SbdServer.Core.Storage;

namespace SbdServer.Core.CertificateManagement;

/// <summary>
/// Makes identity certificates and swaps them in: a new self-signed certificate with a sealed key, and the replacement
/// of a node's certificate (old one and its key to history, ITL change marked pending) that regeneration, a CA-signed
/// upload and a host change share.
/// </summary>
public sealed class IdentityMint(
    ICertificateFactory factory,
    IKeyProtector keys,
    ICertificateInspector inspector,
    LocalNodeOptions subject,
    SecurityUnitOfWork unit)
{
    /// <summary>Mints a new identity certificate for <paramref name="node"/> and seals its key.</summary>
    public IdentityCertificate Mint(ClusterNode node, string name, KeyAlgorithm key)
    {
        var time = unit.Time;
        var spec = IdentitySpecs.For(name, node, subject, key);
        var minted = factory.CreateSelfSigned(spec, time.GetUtcNow().AddMinutes(-5));
        try
        {
            var identity = new IdentityCertificate
            {
                Id = Guid.CreateVersion7(),
                NodeId = node.Id,
                Name = name,
                KeyAlgorithm = key,
                ProtectedKey = keys.Protect(minted.PrivateKeyPkcs8),
                UpdatedAt = time.GetUtcNow(),
            };
            identity.SetCertificate(minted.CertificateDer, inspector.Inspect(minted.CertificateDer));
            return identity;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(minted.PrivateKeyPkcs8);
        }
    }

    /// <summary>Replaces <paramref name="identity"/> with a newly minted certificate and key.</summary>
    public void Replace(
        SecurityChangeSet changes, SecuritySnapshot state, ClusterNode owner, IdentityCertificate identity, KeyAlgorithm key,
        string reason, string actor)
    {
        var fresh = Mint(owner, identity.Name, key);
        ReplaceWith(changes, state, owner, identity, fresh.Der, fresh.ProtectedKey, key, reason, actor);
    }

    /// <summary>Replaces <paramref name="identity"/> with <paramref name="der"/> and its sealed key.</summary>
    public void ReplaceWith(
        SecurityChangeSet changes, SecuritySnapshot state, ClusterNode owner, IdentityCertificate identity, byte[] der,
        byte[] sealedKey, KeyAlgorithm key, string reason, string actor)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(identity);
        var now = unit.Time.GetUtcNow();
        var history = new CertificateHistoryEntry
        {
            Id = Guid.CreateVersion7(),
            NodeId = identity.NodeId,
            Name = identity.Name,
            KeyAlgorithm = identity.KeyAlgorithm,
            ProtectedKey = identity.ProtectedKey,
            ReplacedAt = now,
            Reason = reason,
        };
        history.SetCertificate(identity.Der, inspector.Inspect(identity.Der));
        var oldSha256 = identity.Sha256;

        // The row keeps its id: readers see either the old or the new certificate+key, never a gap.
        identity.SetCertificate(der, inspector.Inspect(der));
        identity.ProtectedKey = sealedKey;
        identity.KeyAlgorithm = key;
        // Any replacement ends a pending CSR (a host change alters its subject); the CA-signed upload for the current
        // key, which leaves the CSR open, puts it back itself.
        identity.PendingCsrKey = null;
        identity.PendingCsr = null;
        identity.PendingCsrAt = null;
        identity.UpdatedAt = now;
        changes.Updated.Add(identity);
        changes.Added.Add(history);

        if (CertificateStores.ItlRelevant.Contains(identity.Name)
            && !state.PendingItlChanges.Any(p => p.NodeId == owner.Id && p.CertificateName == identity.Name))
        {
            changes.Added.Add(new PendingItlChange
            {
                Id = Guid.CreateVersion7(),
                NodeId = owner.Id,
                CertificateName = identity.Name,
                ChangedAt = now,
            });
        }

        changes.Audit.Add(unit.Audit(actor, "certificate.regenerate", $"{owner.Name}/{identity.Name}",
            $"{reason}; SHA-256 {oldSha256} -> {identity.Sha256}; key {key}"));
        changes.Changes.Add(unit.Change(CertificateStoreChangeKind.IdentityCertificateChanged, owner.Name, identity.Name, identity.Sha256));
    }
}
