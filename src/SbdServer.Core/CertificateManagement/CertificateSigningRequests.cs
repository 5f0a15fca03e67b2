using System.Security.Cryptography;
using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Errors;
using SbdServer.Core.Impact;
using SbdServer.Core.Provisioning;
using SbdServer.Core.Storage;

namespace SbdServer.Core.CertificateManagement;

/// <summary>CA-signed identity certificates: a CSR for a new pending key, then the signed certificate for it.</summary>
public sealed class CertificateSigningRequests(
    SecurityUnitOfWork unit,
    IdentityMint mint,
    DeviceImpact impact,
    ICertificateFactory factory,
    IKeyProtector keys,
    ICertificateInspector inspector,
    ICertificateCodec codec,
    ICertificateValidator validator,
    LocalNodeOptions subject)
{
    /// <summary>
    /// Creates a new key for <paramref name="name"/> (kept sealed, pending) and returns a PKCS#10 CSR (DER) for it.
    /// The current certificate stays in use until a CA-signed certificate for the CSR is accepted.
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
                identity.PendingCsrKey = keys.Protect(pending.PrivateKeyPkcs8);
                changes.Updated.Add(identity);
                changes.Audit.Add(unit.Audit(actor, "certificate.csr", $"{owner.Name}/{identity.Name}", $"key {spec.Key}"));
                return csr;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pending.PrivateKeyPkcs8);
            }
        }, cancellationToken);

    /// <summary>
    /// Accepts a CA-signed certificate for the pending CSR of <paramref name="name"/>: it must carry the pending key
    /// and chain to a certificate in the matching trust store (CallManager-trust, tomcat-trust, CAPF-trust,
    /// TVS-trust). The same impact check as a regeneration applies.
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
            if (identity.PendingCsrKey is null)
            {
                throw new InvalidInputException($"{node.Name}/{identity.Name} has no pending CSR; generate one first.");
            }

            var pendingKey = keys.Unprotect(identity.PendingCsrKey);
            try
            {
                var anchors = state.TrustCertificates.Where(c => c.Store == trustStore).Select(c => c.Der).ToList();
                var verdict = validator.ValidateIssuedCertificate(uploaded[0], pendingKey, anchors, uploaded.Skip(1));
                if (!verdict.IsValid)
                {
                    throw new InvalidInputException(
                        $"The certificate was refused ({verdict.Rejection}): {verdict.Reason} (trust anchors are taken from {trustStore}).");
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pendingKey);
            }

            var devices = await impact.DevicesAsync(ct);
            var report = DeviceImpact.Check(
                state, [new(node.Name, identity.Name)], devices, confirm, new Dictionary<Guid, CertificateReplacement> { [identity.Id] = new(uploaded[0]) });
            var before = ItlContent.Fingerprints(state);
            var owner = state.Nodes.First(n => n.Id == identity.NodeId);
            var facts = inspector.Inspect(uploaded[0]);
            mint.ReplaceWith(changes, state, owner, identity, uploaded[0], identity.PendingCsrKey, KeyAlgorithmOf(facts),
                "CA-signed certificate accepted", actor);
            var resets = impact.RequestResets(changes, before, state, devices, actor, $"{owner.Name}/{identity.Name} CA-signed certificate accepted");
            return report with { Applied = true, ResetDevices = resets };
        }, cancellationToken);
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
