using System.Security.Cryptography;
using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Errors;
using SbdServer.Core.Impact;
using SbdServer.Core.Provisioning;
using SbdServer.Core.Storage;

namespace SbdServer.Core.CertificateManagement;

/// <summary>
/// CA-signed identity certificates: a CSR for a new key, kept (request and sealed key) on the identity's row until the
/// CA-signed certificate for it is accepted or the CSR is deleted; then the signed certificate for it.
/// </summary>
public sealed class CertificateSigningRequests(
    SecurityUnitOfWork unit,
    IdentityMint mint,
    DeviceImpact impact,
    ICertificateFactory factory,
    IKeyProtector keys,
    ICertificateInspector inspector,
    ICertificateCodec codec,
    ICertificateValidator validator,
    LocalNodeOptions subject,
    PendingCsrReader reader)
{
    /// <summary>
    /// Creates a new key for <paramref name="name"/> and a PKCS#10 CSR (DER) for it; both are kept (the key sealed)
    /// in place of any CSR pending for that certificate. The current certificate stays in use until a CA-signed
    /// certificate for the CSR is accepted.
    /// </summary>
    public Task<byte[]> CreateCsrAsync(
        string nodeName, string name, KeyAlgorithm? key, string actor, CancellationToken cancellationToken) =>
        unit.RunAsync((state, changes) =>
        {
            var (_, identity) = Lookups.RequireIdentity(state, nodeName, name);
            _ = CaTrustStoreFor(identity.Name);
            var owner = state.Nodes.First(n => n.Id == identity.NodeId);
            var spec = IdentitySpecs.For(identity.Name, owner, subject, key ?? identity.KeyAlgorithm);
            var pending = factory.CreateSelfSigned(spec, unit.Time.GetUtcNow());
            try
            {
                var csr = factory.CreateCsr(spec, pending.PrivateKeyPkcs8);
                var replaced = identity.PendingCsrKey is not null;
                identity.PendingCsrKey = keys.Protect(pending.PrivateKeyPkcs8);
                identity.PendingCsr = csr;
                identity.PendingCsrAt = unit.Time.GetUtcNow();
                changes.Updated.Add(identity);
                changes.Audit.Add(unit.Audit(actor, "certificate.csr", $"{owner.Name}/{identity.Name}",
                    $"key {spec.Key}; CSR SHA-256 {Convert.ToHexStringLower(SHA256.HashData(csr))}" +
                    (replaced ? "; replaced the pending CSR" : "")));
                return csr;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pending.PrivateKeyPkcs8);
            }
        }, cancellationToken);

    /// <summary>The CSR pending for <paramref name="name"/> of <paramref name="nodeName"/>; 404 when there is none.</summary>
    public async Task<PendingCsrView> GetPendingAsync(string nodeName, string name, CancellationToken cancellationToken)
    {
        var state = await unit.LoadAsync(cancellationToken);
        var (node, identity) = Lookups.RequireIdentity(state, nodeName, name);
        return reader.ViewOf(node, identity) ?? throw new NotFoundException($"{node.Name}/{identity.Name} has no pending CSR.");
    }

    /// <summary>The CSR pending for <paramref name="name"/> of <paramref name="nodeName"/>, or null when there is none.</summary>
    public async Task<PendingCsrView?> FindPendingAsync(string nodeName, string name, CancellationToken cancellationToken)
    {
        var state = await unit.LoadAsync(cancellationToken);
        var (node, identity) = Lookups.RequireIdentity(state, nodeName, name);
        return reader.ViewOf(node, identity);
    }

    /// <summary>Every pending CSR of the cluster, by node then certificate name.</summary>
    public async Task<IReadOnlyList<PendingCsrView>> GetAllPendingAsync(CancellationToken cancellationToken)
    {
        var state = await unit.LoadAsync(cancellationToken);
        return [.. state.Nodes.OrderBy(n => n.Name, StringComparer.OrdinalIgnoreCase).SelectMany(n => reader.Of(state, n))];
    }

    /// <summary>Deletes the pending CSR of <paramref name="name"/> and its key; the current certificate is untouched.</summary>
    public Task DeletePendingAsync(string nodeName, string name, string actor, CancellationToken cancellationToken) =>
        unit.RunAsync((state, changes) =>
        {
            var (node, identity) = Lookups.RequireIdentity(state, nodeName, name);
            if (identity.PendingCsrKey is null)
            {
                throw new NotFoundException($"{node.Name}/{identity.Name} has no pending CSR.");
            }

            var sha256 = identity.PendingCsr is { } csr ? Convert.ToHexStringLower(SHA256.HashData(csr)) : "unknown";
            identity.PendingCsrKey = null;
            identity.PendingCsr = null;
            identity.PendingCsrAt = null;
            changes.Updated.Add(identity);
            changes.Audit.Add(unit.Audit(actor, "certificate.csr.delete", $"{node.Name}/{identity.Name}", $"CSR SHA-256 {sha256}"));
            return true;
        }, cancellationToken);

    /// <summary>
    /// Accepts a CA-signed certificate for <paramref name="name"/>: it must carry the pending CSR's key (the CSR is then
    /// done and removed) or the current key (a re-issue; a pending CSR stays), and chain to a certificate in the
    /// matching trust store (CallManager-trust, tomcat-trust, CAPF-trust, TVS-trust). The same impact check as a
    /// regeneration applies.
    /// </summary>
    public Task<ImpactReport> AcceptSignedAsync(
        string nodeName, string name, byte[] body, bool confirm, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var uploaded = body.Length == 0
            ? throw new InvalidInputException("The body must be the CA-signed certificate (PEM, optionally with its chain, or DER).")
            : codec.ReadCertificates(body);
        return unit.RunAsync(async (state, changes, ct) =>
        {
            var (node, identity) = Lookups.RequireIdentity(state, nodeName, name);
            var trustStore = CaTrustStoreFor(identity.Name);
            if (uploaded[0].AsSpan().SequenceEqual(identity.Der))
            {
                throw new InvalidInputException($"The certificate is already the current {identity.Name} certificate of {node.Name}.");
            }

            var forPendingCsr = identity.PendingCsrKey is { } pendingKey && Matches(uploaded[0], pendingKey);
            if (!forPendingCsr && !Matches(uploaded[0], identity.ProtectedKey))
            {
                throw new InvalidInputException(identity.PendingCsrKey is null
                    ? $"The certificate was refused: it was issued for another key; it carries neither the key of the current {identity.Name} " +
                      $"certificate of {node.Name} nor that of a pending CSR (none is pending; generate a CSR first)."
                    : $"The certificate was refused: it was issued for another key; it carries neither the key of the pending CSR of " +
                      $"{node.Name}/{identity.Name} nor that of its current certificate.");
            }

            var sealedKey = forPendingCsr ? identity.PendingCsrKey! : identity.ProtectedKey;
            var key = keys.Unprotect(sealedKey);
            try
            {
                var anchors = state.TrustCertificates.Where(c => c.Store == trustStore).Select(c => c.Der).ToList();
                var verdict = validator.ValidateIssuedCertificate(uploaded[0], key, anchors, uploaded.Skip(1));
                if (!verdict.IsValid)
                {
                    throw new InvalidInputException(
                        $"The certificate was refused ({verdict.Rejection}): {verdict.Reason} (trust anchors are taken from {trustStore}).");
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }

            var devices = await impact.DevicesAsync(ct);
            var report = DeviceImpact.Check(
                state, [new(node.Name, identity.Name)], devices, confirm, new Dictionary<Guid, CertificateReplacement> { [identity.Id] = new(uploaded[0]) });
            var before = ItlContent.Fingerprints(state);
            var owner = state.Nodes.First(n => n.Id == identity.NodeId);
            var facts = inspector.Inspect(uploaded[0]);
            (byte[]? Key, byte[]? Csr, DateTimeOffset? At)? keep =
                forPendingCsr ? null : (identity.PendingCsrKey, identity.PendingCsr, identity.PendingCsrAt);
            mint.ReplaceWith(changes, state, owner, identity, uploaded[0], sealedKey, KeyAlgorithmOf(facts),
                forPendingCsr ? "CA-signed certificate for the pending CSR accepted" : "CA-signed certificate for the current key accepted",
                actor);
            if (keep is { } pending)
            {
                (identity.PendingCsrKey, identity.PendingCsr, identity.PendingCsrAt) = pending;
            }

            var resets = impact.RequestResets(changes, before, state, devices, actor, $"{owner.Name}/{identity.Name} CA-signed certificate accepted");
            return report with { Applied = true, ResetDevices = resets };
        }, cancellationToken);
    }

    private bool Matches(byte[] certificateDer, byte[] sealedKey)
    {
        var key = keys.Unprotect(sealedKey);
        try
        {
            return inspector.KeyMatches(certificateDer, key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Where the CA certificates for a CA-signed identity must have been uploaded first.</summary>
    private static string CaTrustStoreFor(string identity) => identity switch
    {
        CertificateStores.CallManager => CertificateStores.CallManagerTrust,
        CertificateStores.Tomcat => CertificateStores.TomcatTrust,
        CertificateStores.Capf => CertificateStores.CapfTrust,
        CertificateStores.Tvs => CertificateStores.TvsTrust,
        _ => throw new InvalidInputException($"{identity} certificates are self-signed only; CSRs are for CallManager, tomcat, CAPF and TVS."),
    };

    private static KeyAlgorithm KeyAlgorithmOf(CertificateFacts facts) => (facts.PublicKeyAlgorithm, facts.KeySizeBits) switch
    {
        ("RSA", 1024) => KeyAlgorithm.Rsa1024,
        ("RSA", 2048) => KeyAlgorithm.Rsa2048,
        ("RSA", 3072) => KeyAlgorithm.Rsa3072,
        ("RSA", 4096) => KeyAlgorithm.Rsa4096,
        ("EC", 256) => KeyAlgorithm.EcP256,
        ("EC", 384) => KeyAlgorithm.EcP384,
        ("EC", 521) => KeyAlgorithm.EcP521,
        _ => throw new InvalidInputException($"Unsupported key {facts.PublicKeyAlgorithm} {facts.KeySizeBits} bits."),
    };
}
