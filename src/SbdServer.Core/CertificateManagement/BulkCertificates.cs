using System.Security.Cryptography;
using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Errors;
using SbdServer.Core.Storage;

namespace SbdServer.Core.CertificateManagement;

/// <summary>
/// CUCM-style bulk certificate management between clusters: a node's identity certificate with its key as a
/// password-protected PKCS#12, and another cluster's file imported into the trust stores CUCM maps it to.
/// </summary>
public sealed class BulkCertificates(
    SecurityUnitOfWork unit, TrustStoreUploads trust, IKeyProtector keys, ICertificateCodec codec, ICertificateValidator validator)
{
    public const int MinExportPasswordLength = 12;

    /// <summary>CUCM's bulk import mapping (TAC-215539); empty for types bulk management does not carry.</summary>
    public static IReadOnlyList<string> BulkImportStores(string identity) => identity switch
    {
        CertificateStores.CallManager or CertificateStores.ItlRecovery =>
            [CertificateStores.PhoneSastTrust, CertificateStores.CallManagerTrust],
        CertificateStores.Tomcat => [CertificateStores.TomcatTrust],
        CertificateStores.Capf => [CertificateStores.CallManagerTrust],
        _ => [],
    };

    /// <summary>
    /// A node's identity certificate with its key as a password-protected PKCS#12. Audited; the password must be at
    /// least <see cref="MinExportPasswordLength"/> characters.
    /// </summary>
    public async Task<byte[]> ExportPkcs12Async(
        string nodeName, string name, string? password, string actor, CancellationToken cancellationToken)
    {
        if (password is null || password.Length < MinExportPasswordLength)
        {
            throw new InvalidInputException(
                $"An export password of at least {MinExportPasswordLength} characters is required (header X-Sbd-Password).");
        }

        var state = await unit.LoadAsync(cancellationToken);
        var (node, identity) = Lookups.RequireIdentity(state, nodeName, name);
        if (BulkImportStores(identity.Name).Count == 0)
        {
            throw new InvalidInputException(
                $"Bulk export covers CallManager, ITLRecovery, tomcat and CAPF, not {identity.Name}.");
        }

        var key = keys.Unprotect(identity.ProtectedKey);
        try
        {
            var pkcs12 = codec.WritePkcs12(new CertificateBundle(identity.Der, key, []), password);
            var changes = new SecurityChangeSet();
            changes.Audit.Add(unit.Audit(actor, "certificate.export", $"{node.Name}/{identity.Name}", "PKCS#12 with private key"));
            await unit.RecordAsync(changes, cancellationToken);
            return pkcs12;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// Imports another cluster's bulk-exported <paramref name="sourceName"/> certificate (PKCS#12) into the trust stores
    /// CUCM maps it to: CallManager and ITLRecovery to Phone-SAST-trust and CallManager-trust, tomcat to tomcat-trust,
    /// CAPF to CallManager-trust. The private key in the file is ignored.
    /// </summary>
    public Task<IReadOnlyList<CertificateView>> ImportBulkAsync(
        string sourceName, byte[] pkcs12, string? password, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(pkcs12);
        var canonical = CertificateStores.FindIdentity(sourceName);
        var stores = canonical is null ? [] : BulkImportStores(canonical);
        if (stores.Count == 0)
        {
            throw new InvalidInputException(
                $"'{UserText.Echo(sourceName)}' is not a bulk certificate type; use CallManager, ITLRecovery, tomcat or CAPF.");
        }

        if (pkcs12.Length == 0 || password is null)
        {
            throw new InvalidInputException("Send the PKCS#12 file as the body and its password in the X-Sbd-Password header.");
        }

        CertificateBundle bundle;
        try
        {
            bundle = codec.ReadPkcs12(pkcs12, password);
        }
        catch (WrongPasswordException ex)
        {
            throw new WrongPasswordException("The PKCS#12 password is wrong, or the file is damaged.", ex);
        }

        // Other clusters' private keys have no business here.
        if (bundle.PrivateKeyPkcs8 is { } importedKey)
        {
            CryptographicOperations.ZeroMemory(importedKey);
        }

        var verdict = validator.ValidateTrustUpload(bundle.CertificateDer);
        if (!verdict.IsValid)
        {
            throw new InvalidInputException($"The certificate was refused ({verdict.Rejection}): {verdict.Reason}");
        }

        return unit.RunAsync<IReadOnlyList<CertificateView>>((state, changes) =>
            [.. stores.Select(s => trust.AddTrust(changes, state, s, bundle.CertificateDer, actor, "trust.bulk-import"))], cancellationToken);
    }
}
