using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Errors;
using SbdServer.Core.Events;
using SbdServer.Core.Storage;

namespace SbdServer.Core.CertificateManagement;

/// <summary>Trust stores: adding uploaded certificates (a chain is fine; all or nothing) and deleting one.</summary>
public sealed class TrustStoreUploads(
    SecurityUnitOfWork unit, ICertificateInspector inspector, ICertificateCodec codec, ICertificateValidator validator)
{
    public const int MaxCertificatesPerUpload = 16;

    /// <summary>Adds PEM/DER certificates (a chain is fine) to a trust store; all or nothing.</summary>
    public Task<IReadOnlyList<CertificateView>> UploadTrustAsync(
        string storeName, byte[] body, string actor, CancellationToken cancellationToken)
    {
        var trustStore = Lookups.RequireTrustStore(storeName);
        var ders = ReadTrustUpload(body);
        return unit.RunAsync<IReadOnlyList<CertificateView>>((state, changes) =>
            [.. ders.Select(der => AddTrust(changes, state, trustStore, der, actor, "trust.upload"))], cancellationToken);
    }

    public Task DeleteTrustAsync(string storeName, string sha256, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        var trustStore = Lookups.RequireTrustStore(storeName);
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigit))
        {
            throw new InvalidInputException("The SHA-256 fingerprint must be 64 hex digits.");
        }

        return unit.RunAsync((state, changes) =>
        {
            var existing = state.TrustCertificates.FirstOrDefault(c =>
                    c.Store == trustStore && string.Equals(c.Sha256, sha256, StringComparison.OrdinalIgnoreCase))
                ?? throw new NotFoundException($"{trustStore} holds no certificate with SHA-256 {sha256.ToLowerInvariant()}.");
            changes.Removed.Add(existing);
            changes.Audit.Add(unit.Audit(actor, "trust.delete", $"{trustStore}/{existing.Sha256}", existing.Subject));
            changes.Changes.Add(unit.Change(CertificateStoreChangeKind.TrustCertificateRemoved, null, trustStore, existing.Sha256));
            return true;
        }, cancellationToken);
    }

    /// <summary>Adds <paramref name="der"/> to <paramref name="trustStore"/> unless it holds it already (then the existing entry).</summary>
    internal CertificateView AddTrust(
        SecurityChangeSet changes, SecuritySnapshot state, string trustStore, byte[] der, string actor, string action)
    {
        var certificate = new TrustCertificate { Id = Guid.CreateVersion7(), Store = trustStore, AddedAt = unit.Time.GetUtcNow() };
        certificate.SetCertificate(der, inspector.Inspect(der));
        var existing = state.TrustCertificates.FirstOrDefault(c => c.Store == trustStore && c.Sha256 == certificate.Sha256)
            ?? changes.Added.OfType<TrustCertificate>().FirstOrDefault(c => c.Store == trustStore && c.Sha256 == certificate.Sha256);
        if (existing is not null)
        {
            return CertificateView.Of(existing);
        }

        changes.Added.Add(certificate);
        changes.Audit.Add(unit.Audit(actor, action, $"{trustStore}/{certificate.Sha256}", certificate.Subject));
        changes.Changes.Add(unit.Change(CertificateStoreChangeKind.TrustCertificateAdded, null, trustStore, certificate.Sha256));
        return CertificateView.Of(certificate);
    }

    /// <summary>Certificates of a PEM (chain) or DER upload, each checked against CUCM's upload rules; all or nothing.</summary>
    private IReadOnlyList<byte[]> ReadTrustUpload(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length == 0)
        {
            throw new InvalidInputException("The upload is empty; send a PEM or DER certificate as the request body.");
        }

        var ders = codec.ReadCertificates(body);
        if (ders.Count > MaxCertificatesPerUpload)
        {
            throw new InvalidInputException($"The upload holds {ders.Count} certificates; the limit is {MaxCertificatesPerUpload}.");
        }

        for (var i = 0; i < ders.Count; i++)
        {
            var verdict = validator.ValidateTrustUpload(ders[i]);
            if (!verdict.IsValid)
            {
                var which = ders.Count == 1 ? "The certificate" : $"Certificate {i + 1} of {ders.Count}";
                throw new InvalidInputException($"{which} was refused ({verdict.Rejection}): {verdict.Reason}");
            }
        }

        return ders;
    }
}
