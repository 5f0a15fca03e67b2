using System.Security.Cryptography;
using SbdServer.Core.Audit;
using SbdServer.Core.Certificates;
using SbdServer.Core.Cluster;
using SbdServer.Core.Devices;
using SbdServer.Core.Errors;
using SbdServer.Core.Events;
using SbdServer.Core.Impact;
using SbdServer.Core.Nodes;
using SbdServer.Core.Parameters;
using SbdServer.Core.Provisioning;
using SbdServer.Core.Storage;

namespace SbdServer.Core.CertificateStore;

/// <summary>Certificate management use cases (issue 3): listing, regeneration with impact check, trust stores, parameters.</summary>
/// <remarks>
/// With <paramref name="planDevices"/> (the host passes it) impact reports carry the per-device outcome of
/// <see cref="ChangePlanner"/>, and a committed change that alters a device's ITL marks the device for reset when
/// <c>PhoneInteractionOnCertificateUpdate</c> is <c>ResetAutomatically</c> (cucm-reference 0.10). The reset is part of
/// the change's own transaction, so it happens once, on the node that made the change.
/// </remarks>
public sealed partial class CertificateManager(
    ISecurityStore store,
    ICertificateFactory factory,
    IKeyProtector keys,
    ICertificateInspector inspector,
    ICertificateCodec codec,
    ICertificateValidator validator,
    CertificateStoreEventHub events,
    LocalNodeOptions subject,
    TimeProvider time,
    IPlanDeviceSource? planDevices = null) : IDisposable
{
    public const int MaxCertificatesPerUpload = 16;
    public const int MinExportPasswordLength = 12;

    // One writer per process; every use case reads, decides and commits under it and under the store's write lock,
    // which extends the same guarantee to the other nodes on a shared database.
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public void Dispose() => _writeLock.Dispose();

    public async Task<IReadOnlyList<ClusterNode>> GetNodesAsync(CancellationToken cancellationToken) =>
        (await store.LoadAsync(cancellationToken)).Nodes;

    public async Task<IReadOnlyList<CertificateView>> GetCertificatesAsync(string nodeName, CancellationToken cancellationToken)
    {
        var state = await store.LoadAsync(cancellationToken);
        var node = RequireNode(state, nodeName);
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
        var state = await store.LoadAsync(cancellationToken);
        var node = RequireNode(state, nodeName);
        var identity = CertificateStores.FindIdentity(name);
        if (identity is not null)
        {
            return (state.FindIdentity(node, identity)
                ?? throw new NotFoundException($"Node '{node.Name}' has no {identity} certificate.")).Der;
        }

        var trust = state.TrustCertificates.FirstOrDefault(c => string.Equals(c.Sha256, name, StringComparison.OrdinalIgnoreCase));
        return trust?.Der ?? throw new NotFoundException(
            $"'{Safe(name)}' is neither an identity certificate name ({string.Join(", ", CertificateStores.Identities)}) nor the SHA-256 of a trust certificate.");
    }

    /// <summary>
    /// The identity certificate and its unsealed private key (PKCS#8), for the signer (ITL, .sgn), TVS and CAPF
    /// listeners of this process. The caller owns the key bytes and must wipe them.
    /// </summary>
    public async Task<CertificateWithKey> GetIdentityWithKeyAsync(string nodeName, string name, CancellationToken cancellationToken)
    {
        var state = await store.LoadAsync(cancellationToken);
        var (_, identity) = RequireIdentity(state, nodeName, name);
        return new CertificateWithKey(identity.Der, keys.Unprotect(identity.ProtectedKey));
    }

    /// <summary>The impact a regeneration would have, without changing anything.</summary>
    public async Task<ImpactReport> PreviewAsync(string nodeName, string name, CancellationToken cancellationToken)
    {
        var state = await store.LoadAsync(cancellationToken);
        var (node, identity) = RequireIdentity(state, nodeName, name);
        return Analyze(state, Requested(node, identity.Name), await DevicesAsync(cancellationToken));
    }

    /// <summary>
    /// Replaces an identity certificate with a new self-signed one (new key; <paramref name="key"/> null keeps the
    /// algorithm and size). The old certificate and key move to history in the same transaction.
    /// </summary>
    public async Task<ImpactReport> RegenerateAsync(
        string nodeName, string name, KeyAlgorithm? key, bool confirm, string actor, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var clusterLock = await store.AcquireWriteLockAsync(cancellationToken);
            var state = await store.LoadAsync(cancellationToken);
            var (node, identity) = RequireIdentity(state, nodeName, name);
            var devices = await DevicesAsync(cancellationToken);
            var report = Analyze(state, Requested(node, identity.Name), devices);
            if (report.RequiresConfirmation && !confirm)
            {
                throw new ConfirmationRequiredException(report);
            }

            var before = ItlContent.Fingerprints(state);
            var owner = state.Nodes.First(n => n.Id == identity.NodeId);
            var changes = new SecurityChangeSet();
            Replace(changes, state, owner, identity, key ?? identity.KeyAlgorithm, "regenerated", actor);
            var resets = RequestResets(changes, before, state, devices, actor, $"{owner.Name}/{identity.Name} regenerated");
            await store.CommitAsync(changes, cancellationToken);
            return report with { Applied = true, ResetDevices = resets };
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Creates a new key for <paramref name="name"/> (kept sealed, pending) and returns a PKCS#10 CSR (DER) for it.
    /// The current certificate stays in use until a CA-signed certificate for the CSR is accepted.
    /// </summary>
    public async Task<byte[]> CreateCsrAsync(
        string nodeName, string name, KeyAlgorithm? key, string actor, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var clusterLock = await store.AcquireWriteLockAsync(cancellationToken);
            var state = await store.LoadAsync(cancellationToken);
            var (_, identity) = RequireIdentity(state, nodeName, name);
            _ = CaTrustStoreFor(identity.Name);
            var owner = state.Nodes.First(n => n.Id == identity.NodeId);
            var spec = IdentitySpecs.For(identity.Name, owner, subject, key ?? identity.KeyAlgorithm);
            var pending = factory.CreateSelfSigned(spec, time.GetUtcNow());
            try
            {
                var csr = factory.CreateCsr(spec, pending.PrivateKeyPkcs8);
                identity.PendingCsrKey = keys.Protect(pending.PrivateKeyPkcs8);
                var changes = new SecurityChangeSet();
                changes.Updated.Add(identity);
                changes.Audit.Add(Audit(actor, "certificate.csr", $"{owner.Name}/{identity.Name}", $"key {spec.Key}"));
                await store.CommitAsync(changes, cancellationToken);
                return csr;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pending.PrivateKeyPkcs8);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Accepts a CA-signed certificate for the pending CSR of <paramref name="name"/>: it must carry the pending key
    /// and chain to a certificate in the matching trust store (CallManager-trust, tomcat-trust, CAPF-trust,
    /// TVS-trust). The same impact check as a regeneration applies.
    /// </summary>
    public async Task<ImpactReport> AcceptSignedAsync(
        string nodeName, string name, byte[] body, bool confirm, string actor, CancellationToken cancellationToken)
    {
        var uploaded = body.Length == 0
            ? throw new InvalidInputException("The body must be the CA-signed certificate (PEM, optionally with its chain, or DER).")
            : codec.ReadCertificates(body);

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var clusterLock = await store.AcquireWriteLockAsync(cancellationToken);
            var state = await store.LoadAsync(cancellationToken);
            var (node, identity) = RequireIdentity(state, nodeName, name);
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

            var devices = await DevicesAsync(cancellationToken);
            var report = Analyze(state, Requested(node, identity.Name), devices);
            if (report.RequiresConfirmation && !confirm)
            {
                throw new ConfirmationRequiredException(report);
            }

            var before = ItlContent.Fingerprints(state);
            var owner = state.Nodes.First(n => n.Id == identity.NodeId);
            var facts = inspector.Inspect(uploaded[0]);
            var changes = new SecurityChangeSet();
            ReplaceWith(changes, state, owner, identity, uploaded[0], identity.PendingCsrKey, KeyAlgorithmOf(facts),
                "CA-signed certificate accepted", actor);
            var resets = RequestResets(changes, before, state, devices, actor, $"{owner.Name}/{identity.Name} CA-signed certificate accepted");
            await store.CommitAsync(changes, cancellationToken);
            return report with { Applied = true, ResetDevices = resets };
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Changes a node's host name and/or domain: all of its identity certificates are regenerated at once, with the
    /// same impact check (cucm-reference scenario 24).
    /// </summary>
    public async Task<ImpactReport> ChangeHostAsync(
        string nodeName, string newFqdn, string? newAddress, bool confirm, string actor, CancellationToken cancellationToken)
    {
        var fqdnCheck = new LocalNodeOptions { Fqdn = newFqdn, Address = newAddress ?? "127.0.0.1" };
        var validation = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(
                fqdnCheck, new System.ComponentModel.DataAnnotations.ValidationContext(fqdnCheck), validation, true))
        {
            throw new InvalidInputException(string.Join(" ", validation.Select(v => v.ErrorMessage)).Replace("Sbd:Node:", "", StringComparison.Ordinal));
        }

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var clusterLock = await store.AcquireWriteLockAsync(cancellationToken);
            var state = await store.LoadAsync(cancellationToken);
            var node = RequireNode(state, nodeName);
            var owned = state.Identities.Where(c => c.NodeId == node.Id).ToList();
            var devices = await DevicesAsync(cancellationToken);
            var report = Analyze(state, [.. owned.Where(c => CertificateStores.ItlRelevant.Contains(c.Name))
                .Select(c => new CertificateChange(node.Name, c.Name))], devices);
            if (report.RequiresConfirmation && !confirm)
            {
                throw new ConfirmationRequiredException(report);
            }

            var before = ItlContent.Fingerprints(state);
            var changes = new SecurityChangeSet();
            var oldFqdn = node.Fqdn;
            node.Fqdn = newFqdn;
            node.IpAddress = newAddress ?? node.IpAddress;
            changes.Updated.Add(node);
            foreach (var identity in owned)
            {
                Replace(changes, state, node, identity, identity.KeyAlgorithm, "host changed", actor);
            }

            changes.Audit.Add(Audit(actor, "node.host-changed", node.Name, $"FQDN {oldFqdn} -> {newFqdn}"));
            changes.Changes.Add(Change(CertificateStoreChangeKind.NodeChanged, node.Name, null, null));
            var resets = RequestResets(changes, before, state, devices, actor, $"host of {node.Name} changed");
            await store.CommitAsync(changes, cancellationToken);
            return report with { Applied = true, ResetDevices = resets };
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Sets the node's "Host Name/IP Address" (what configs name it by); null or empty goes back to the FQDN. No
    /// certificate changes: they keep the host name, so no phone's trust is affected, only the configs it is served.
    /// </summary>
    public async Task<ClusterNode> SetHostAddressAsync(string nodeName, string? hostAddress, string actor, CancellationToken cancellationToken)
    {
        var value = NormalizeHostAddress(hostAddress);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var clusterLock = await store.AcquireWriteLockAsync(cancellationToken);
            var state = await store.LoadAsync(cancellationToken);
            var node = RequireNode(state, nodeName);
            if (string.Equals(node.HostAddress, value, StringComparison.Ordinal))
            {
                return node;
            }

            var changes = new SecurityChangeSet();
            var old = node.PhoneFacingHost;
            node.HostAddress = value;
            changes.Updated.Add(node);
            changes.Audit.Add(Audit(actor, "node.host-address", node.Name, $"Host Name/IP Address {old} -> {node.PhoneFacingHost}"));
            changes.Changes.Add(Change(CertificateStoreChangeKind.NodeChanged, node.Name, null, null));
            await store.CommitAsync(changes, cancellationToken);
            return node;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// A "Host Name/IP Address" value: a DNS name or an IP address, trimmed; null for empty (the FQDN). Throws
    /// <see cref="InvalidInputException"/> for anything else.
    /// </summary>
    public static string? NormalizeHostAddress(string? hostAddress)
    {
        var value = hostAddress?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var error = new InvalidInputException($"'{Safe(value)}' is neither a host name nor an IP address.");
        if (value.Contains(':', StringComparison.Ordinal))
        {
            return System.Net.IPAddress.TryParse(value, out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? v6.ToString()
                : throw error;
        }

        // All-numeric labels are an IPv4 address and must be a whole one ("10.0.1" is not a host name either).
        var member = value.Split('.').All(label => label.Length > 0 && label.All(char.IsAsciiDigit))
            ? nameof(LocalNodeOptions.Address)
            : nameof(LocalNodeOptions.Fqdn);
        var check = new LocalNodeOptions { Fqdn = value, Address = value };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        var property = member == nameof(LocalNodeOptions.Address) ? check.Address : check.Fqdn;
        return System.ComponentModel.DataAnnotations.Validator.TryValidateProperty(
            property, new System.ComponentModel.DataAnnotations.ValidationContext(check) { MemberName = member }, results)
            ? value
            : throw error;
    }

    /// <summary>Adds PEM/DER certificates (a chain is fine) to a trust store; all or nothing.</summary>
    public async Task<IReadOnlyList<CertificateView>> UploadTrustAsync(
        string storeName, byte[] body, string actor, CancellationToken cancellationToken)
    {
        var trustStore = CertificateStores.FindTrustStore(storeName)
            ?? throw new InvalidInputException(
                $"'{Safe(storeName)}' is not a trust store; use one of {string.Join(", ", CertificateStores.TrustStores)}.");
        var ders = ReadTrustUpload(body);

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var clusterLock = await store.AcquireWriteLockAsync(cancellationToken);
            var state = await store.LoadAsync(cancellationToken);
            var changes = new SecurityChangeSet();
            var result = new List<CertificateView>();
            foreach (var der in ders)
            {
                result.Add(AddTrust(changes, state, trustStore, der, actor, "trust.upload"));
            }

            if (!changes.IsEmpty)
            {
                await store.CommitAsync(changes, cancellationToken);
            }

            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// A node's identity certificate with its key as a password-protected PKCS#12, for CUCM-style bulk certificate
    /// management between clusters. Audited; the password must be at least <see cref="MinExportPasswordLength"/> characters.
    /// </summary>
    public async Task<byte[]> ExportPkcs12Async(
        string nodeName, string name, string? password, string actor, CancellationToken cancellationToken)
    {
        if (password is null || password.Length < MinExportPasswordLength)
        {
            throw new InvalidInputException(
                $"An export password of at least {MinExportPasswordLength} characters is required (header X-Sbd-Password).");
        }

        var state = await store.LoadAsync(cancellationToken);
        var (node, identity) = RequireIdentity(state, nodeName, name);
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
            changes.Audit.Add(Audit(actor, "certificate.export", $"{node.Name}/{identity.Name}", "PKCS#12 with private key"));
            await store.CommitAsync(changes, cancellationToken);
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
    public async Task<IReadOnlyList<CertificateView>> ImportBulkAsync(
        string sourceName, byte[] pkcs12, string? password, string actor, CancellationToken cancellationToken)
    {
        var canonical = CertificateStores.FindIdentity(sourceName);
        var stores = canonical is null ? [] : BulkImportStores(canonical);
        if (stores.Count == 0)
        {
            throw new InvalidInputException(
                $"'{Safe(sourceName)}' is not a bulk certificate type; use CallManager, ITLRecovery, tomcat or CAPF.");
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

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var clusterLock = await store.AcquireWriteLockAsync(cancellationToken);
            var state = await store.LoadAsync(cancellationToken);
            var changes = new SecurityChangeSet();
            var result = stores.Select(s => AddTrust(changes, state, s, bundle.CertificateDer, actor, "trust.bulk-import")).ToList();
            if (!changes.IsEmpty)
            {
                await store.CommitAsync(changes, cancellationToken);
            }

            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>CUCM's bulk import mapping (TAC-215539); empty for types bulk management does not carry.</summary>
    public static IReadOnlyList<string> BulkImportStores(string identity) => identity switch
    {
        CertificateStores.CallManager or CertificateStores.ItlRecovery =>
            [CertificateStores.PhoneSastTrust, CertificateStores.CallManagerTrust],
        CertificateStores.Tomcat => [CertificateStores.TomcatTrust],
        CertificateStores.Capf => [CertificateStores.CallManagerTrust],
        _ => [],
    };

    public async Task DeleteTrustAsync(string storeName, string sha256, string actor, CancellationToken cancellationToken)
    {
        var trustStore = CertificateStores.FindTrustStore(storeName)
            ?? throw new InvalidInputException(
                $"'{Safe(storeName)}' is not a trust store; use one of {string.Join(", ", CertificateStores.TrustStores)}.");
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigit))
        {
            throw new InvalidInputException("The SHA-256 fingerprint must be 64 hex digits.");
        }

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var clusterLock = await store.AcquireWriteLockAsync(cancellationToken);
            var state = await store.LoadAsync(cancellationToken);
            var existing = state.TrustCertificates.FirstOrDefault(c =>
                    c.Store == trustStore && string.Equals(c.Sha256, sha256, StringComparison.OrdinalIgnoreCase))
                ?? throw new NotFoundException($"{trustStore} holds no certificate with SHA-256 {sha256.ToLowerInvariant()}.");
            var changes = new SecurityChangeSet();
            changes.Removed.Add(existing);
            changes.Audit.Add(Audit(actor, "trust.delete", $"{trustStore}/{existing.Sha256}", existing.Subject));
            changes.Changes.Add(Change(CertificateStoreChangeKind.TrustCertificateRemoved, null, trustStore, existing.Sha256));
            await store.CommitAsync(changes, cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The bulk ITL reset state.</summary>
    public async Task<ItlResetView> GetItlResetAsync(CancellationToken cancellationToken)
    {
        var state = await store.LoadAsync(cancellationToken);
        var cluster = state.Cluster ?? throw new InvalidInputException("The cluster has not been created yet.");
        return ResetView(cluster, []);
    }

    /// <summary>
    /// <c>utils itl reset localkey</c> (CUCM 12+): until <see cref="EndItlResetAsync"/>, every TFTP node's ITL is signed
    /// by its own CallManager, which phones find in the ITL they hold, so phones that can no longer verify the
    /// ITLRecovery signer (it was regenerated, or restored without its key) accept it and learn the current
    /// ITLRecovery from it. Only in ITLRecovery signer mode; <c>remotekey</c> (an exported ITLRecovery pair) is not
    /// supported.
    /// </summary>
    public async Task<ItlResetView> StartItlResetAsync(string? key, string actor, CancellationToken cancellationToken)
    {
        var normalized = key?.Trim().ToLowerInvariant();
        if (normalized == "remotekey")
        {
            throw new InvalidInputException(
                "remotekey (an ITLRecovery pair exported earlier) is not supported; use localkey: the reset ITL is signed by each TFTP node's CallManager.");
        }

        if (normalized != "localkey")
        {
            throw new InvalidInputException($"'{Safe(key ?? "")}' is not an ITL reset key; use localkey.");
        }

        return await ChangeItlResetAsync(start: true, actor, cancellationToken);
    }

    /// <summary>Ends the bulk ITL reset (CUCM: restart TFTP): ITLs are signed by ITLRecovery again.</summary>
    public Task<ItlResetView> EndItlResetAsync(string actor, CancellationToken cancellationToken) =>
        ChangeItlResetAsync(start: false, actor, cancellationToken);

    private async Task<ItlResetView> ChangeItlResetAsync(bool start, string actor, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var clusterLock = await store.AcquireWriteLockAsync(cancellationToken);
            var state = await store.LoadAsync(cancellationToken);
            var cluster = state.Cluster ?? throw new InvalidInputException("The cluster has not been created yet.");
            if (start && cluster.ItlSignerMode != ItlSignerMode.ItlRecovery)
            {
                throw new InvalidInputException(
                    "The bulk ITL reset is for the ITLRecovery signer mode (CUCM 12+); in CallManager mode the ITL is signed by CallManager already.");
            }

            if ((cluster.ItlResetSince is not null) == start)
            {
                return ResetView(cluster, []); // already in the asked state: nothing to sign again or reset
            }

            var before = ItlContent.Fingerprints(state);
            var changes = new SecurityChangeSet();
            cluster.ItlResetSince = start ? time.GetUtcNow() : null;
            changes.Updated.Add(cluster);
            changes.Audit.Add(Audit(actor, start ? "itl.reset" : "itl.reset-end", "localkey",
                start ? "ITLs signed by each TFTP node's CallManager" : "ITLs signed by ITLRecovery again"));
            changes.Changes.Add(Change(CertificateStoreChangeKind.ParameterChanged, null, "ItlReset", null));
            var resets = RequestResets(changes, before, state, await DevicesAsync(cancellationToken), actor,
                start ? "bulk ITL reset (localkey)" : "bulk ITL reset ended");
            await store.CommitAsync(changes, cancellationToken);
            return ResetView(cluster, resets);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static ItlResetView ResetView(ClusterSettings cluster, IReadOnlyList<string> resets)
    {
        var active = cluster.ItlResetSince is not null && cluster.ItlSignerMode == ItlSignerMode.ItlRecovery;
        return new ItlResetView(
            active, active ? "localkey" : null, active ? cluster.ItlResetSince : null,
            active || cluster.ItlSignerMode == ItlSignerMode.CallManager ? CertificateStores.CallManager : CertificateStores.ItlRecovery,
            resets);
    }

    /// <summary>Phones depending on <paramref name="nodeName"/> fetched the current ITL: earlier changes no longer count as "together".</summary>
    public async Task MarkItlPropagatedAsync(string nodeName, string actor, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var clusterLock = await store.AcquireWriteLockAsync(cancellationToken);
            var state = await store.LoadAsync(cancellationToken);
            var node = RequireNode(state, nodeName);
            var changes = new SecurityChangeSet();
            changes.Removed.AddRange(state.PendingItlChanges.Where(p => p.NodeId == node.Id));
            changes.Audit.Add(Audit(actor, "itl.propagated", node.Name, ""));
            changes.Changes.Add(Change(CertificateStoreChangeKind.ItlPropagated, node.Name, null, null));
            await store.CommitAsync(changes, cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<string> GetParameterAsync(string name, CancellationToken cancellationToken)
    {
        var definition = RequireParameter(name);
        var state = await store.LoadAsync(cancellationToken);
        var cluster = state.Cluster ?? throw new InvalidInputException("The cluster has not been created yet.");
        return definition.Name switch
        {
            EnterpriseParameterCatalog.ClusterSecurityMode => cluster.SecurityMode.ToString(),
            EnterpriseParameterCatalog.ItlSignerMode => cluster.ItlSignerMode == ItlSignerMode.ItlRecovery ? "ITLRecovery" : "CallManager",
            _ => state.ParameterValue(definition.Name),
        };
    }

    public async Task<string> SetParameterAsync(string name, string? value, string actor, CancellationToken cancellationToken)
    {
        var definition = RequireParameter(name);
        if (value is null)
        {
            throw new InvalidInputException("The body must be {\"value\": \"...\"} with a string value.");
        }

        var normalized = definition.Normalize(value)
            ?? throw new InvalidInputException($"'{Safe(value)}' is not allowed for {definition.Name}; use {definition.Allowed}.");

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var clusterLock = await store.AcquireWriteLockAsync(cancellationToken);
            var state = await store.LoadAsync(cancellationToken);
            var cluster = state.Cluster ?? throw new InvalidInputException("The cluster has not been created yet.");
            var before = ItlContent.Fingerprints(state);
            var changes = new SecurityChangeSet();
            switch (definition.Name)
            {
                case EnterpriseParameterCatalog.ClusterSecurityMode:
                    var previousMode = cluster.SecurityMode;
                    cluster.SecurityMode = Enum.Parse<SecurityMode>(normalized);
                    changes.Updated.Add(cluster);
                    OnSecurityModeChanged(changes, state, previousMode, cluster.SecurityMode);
                    break;
                case EnterpriseParameterCatalog.ItlSignerMode:
                    cluster.ItlSignerMode = normalized == "ITLRecovery" ? ItlSignerMode.ItlRecovery : ItlSignerMode.CallManager;
                    cluster.ItlResetSince = null; // a reset belongs to the mode it was started in
                    changes.Updated.Add(cluster);
                    break;
                default:
                    var existing = state.Parameters.FirstOrDefault(p => p.Name == definition.Name);
                    if (existing is null)
                    {
                        changes.Added.Add(new EnterpriseParameter { Name = definition.Name, Value = normalized, UpdatedAt = time.GetUtcNow() });
                    }
                    else
                    {
                        existing.Value = normalized;
                        existing.UpdatedAt = time.GetUtcNow();
                        changes.Updated.Add(existing);
                    }

                    break;
            }

            changes.Audit.Add(Audit(actor, "parameter.set", definition.Name, normalized));
            changes.Changes.Add(Change(CertificateStoreChangeKind.ParameterChanged, null, definition.Name, null));
            var after = state with { Parameters = [.. state.Parameters, .. changes.Added.OfType<EnterpriseParameter>()] };
            RequestResets(changes, before, after, await DevicesAsync(cancellationToken), actor, $"{definition.Name} set to {normalized}");
            await store.CommitAsync(changes, cancellationToken);
            return normalized;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Mints a new identity certificate for <paramref name="node"/> and seals its key.</summary>
    internal IdentityCertificate Mint(ClusterNode node, string name, KeyAlgorithm key)
    {
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

    internal AuditEntry Audit(string actor, string action, string target, string details) =>
        new() { Id = Guid.CreateVersion7(), At = time.GetUtcNow(), Actor = actor, Action = action, Target = target, Details = details };

    internal CertificateStoreChange Change(CertificateStoreChangeKind kind, string? node, string? name, string? sha256) =>
        new(kind, events.InstanceId, node, name, sha256, time.GetUtcNow());

    private void Replace(
        SecurityChangeSet changes, SecuritySnapshot state, ClusterNode owner, IdentityCertificate identity, KeyAlgorithm key,
        string reason, string actor)
    {
        var fresh = Mint(owner, identity.Name, key);
        ReplaceWith(changes, state, owner, identity, fresh.Der, fresh.ProtectedKey, key, reason, actor);
    }

    private void ReplaceWith(
        SecurityChangeSet changes, SecuritySnapshot state, ClusterNode owner, IdentityCertificate identity, byte[] der,
        byte[] sealedKey, KeyAlgorithm key, string reason, string actor)
    {
        var history = new CertificateHistoryEntry
        {
            Id = Guid.CreateVersion7(),
            NodeId = identity.NodeId,
            Name = identity.Name,
            KeyAlgorithm = identity.KeyAlgorithm,
            ProtectedKey = identity.ProtectedKey,
            ReplacedAt = time.GetUtcNow(),
            Reason = reason,
        };
        history.SetCertificate(identity.Der, inspector.Inspect(identity.Der));
        var oldSha256 = identity.Sha256;

        // The row keeps its id: readers see either the old or the new certificate+key, never a gap.
        identity.SetCertificate(der, inspector.Inspect(der));
        identity.ProtectedKey = sealedKey;
        identity.KeyAlgorithm = key;
        identity.PendingCsrKey = null;
        identity.UpdatedAt = time.GetUtcNow();
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
                ChangedAt = time.GetUtcNow(),
            });
        }

        changes.Audit.Add(Audit(actor, "certificate.regenerate", $"{owner.Name}/{identity.Name}",
            $"{reason}; SHA-256 {oldSha256} -> {identity.Sha256}; key {key}"));
        changes.Changes.Add(Change(CertificateStoreChangeKind.IdentityCertificateChanged, owner.Name, identity.Name, identity.Sha256));
    }

    /// <summary>Certificates of a PEM (chain) or DER upload, each checked against CUCM's upload rules; all or nothing.</summary>
    private IReadOnlyList<byte[]> ReadTrustUpload(byte[] body)
    {
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

    private CertificateView AddTrust(
        SecurityChangeSet changes, SecuritySnapshot state, string trustStore, byte[] der, string actor, string action)
    {
        var certificate = new TrustCertificate { Id = Guid.CreateVersion7(), Store = trustStore, AddedAt = time.GetUtcNow() };
        certificate.SetCertificate(der, inspector.Inspect(der));
        var existing = state.TrustCertificates.FirstOrDefault(c => c.Store == trustStore && c.Sha256 == certificate.Sha256)
            ?? changes.Added.OfType<TrustCertificate>().FirstOrDefault(c => c.Store == trustStore && c.Sha256 == certificate.Sha256);
        if (existing is not null)
        {
            return CertificateView.Of(existing);
        }

        changes.Added.Add(certificate);
        changes.Audit.Add(Audit(actor, action, $"{trustStore}/{certificate.Sha256}", certificate.Subject));
        changes.Changes.Add(Change(CertificateStoreChangeKind.TrustCertificateAdded, null, trustStore, certificate.Sha256));
        return CertificateView.Of(certificate);
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

    private static List<CertificateChange> Requested(ClusterNode node, string name) => [new(node.Name, name)];

    private static ImpactReport Analyze(SecuritySnapshot state, IReadOnlyList<CertificateChange> requested, IReadOnlyList<PlannedDevice> devices)
    {
        var report = ImpactAnalyzer.Analyze(state, requested);
        return devices.Count == 0 ? report : ChangePlanner.Annotate(state, devices, report);
    }

    /// <summary>
    /// Marks for reset the devices whose ITL a restore changes, by the same rule as a certificate change: the archive's
    /// devices (<paramref name="archived"/>, restored with the mark) or, for an archive without devices, the current
    /// ones (updated in <paramref name="changes"/>). Call it with the restore's own change set before committing.
    /// </summary>
    public async Task<IReadOnlyList<string>> RequestRestoreResetsAsync(
        SecurityChangeSet changes, SecuritySnapshot restored, IReadOnlyList<Device>? archived, string actor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(restored);
        var before = ItlContent.Fingerprints(await store.LoadAsync(cancellationToken));
        var devices = archived is null
            ? await DevicesAsync(cancellationToken)
            : [.. archived.Select(d => new PlannedDevice(d, TrustFileState.NeverFetched))];
        return RequestResets(changes, before, restored, devices, actor, "backup restored");
    }

    private async Task<IReadOnlyList<PlannedDevice>> DevicesAsync(CancellationToken cancellationToken) =>
        planDevices is null ? [] : await planDevices.GetDevicesAsync(cancellationToken);

    /// <summary>
    /// Marks for reset every device whose TFTP node serves a different ITL after the change than before (same
    /// certificates, parameters and mode give the same ITL), when "Phone Interaction on Certificate Update" is
    /// ResetAutomatically. Part of <paramref name="changes"/>, so it commits (and is announced) with the change.
    /// </summary>
    private List<string> RequestResets(
        SecurityChangeSet changes, IReadOnlyDictionary<Guid, string> before, SecuritySnapshot after,
        IReadOnlyList<PlannedDevice> devices, string actor, string cause)
    {
        if (devices.Count == 0
            || after.Cluster is null
            || after.ParameterValue(EnterpriseParameterCatalog.PhoneInteractionOnCertificateUpdate) != "ResetAutomatically")
        {
            return [];
        }

        var at = time.GetUtcNow();
        var reset = new List<string>();
        var groups = ImpactAnalyzer.EffectiveGroups(after);
        foreach (var device in ItlContent.ChangedFor(before, after, devices.Select(d => d.Device)))
        {
            var group = groups.First(g => string.Equals(g.Name, device.CallManagerGroup, StringComparison.OrdinalIgnoreCase));
            device.ResetRequestedAt = at;
            device.UpdatedAt = at;
            changes.Updated.Add(device);
            changes.Changes.Add(new CertificateStoreChange(
                CertificateStoreChangeKind.DeviceResetRequested, events.InstanceId, ImpactAnalyzer.TftpNodeOf(after, group)?.Name, device.Name, null, at));
            reset.Add(device.Name);
        }

        if (reset.Count > 0)
        {
            var names = string.Join(", ", reset);
            changes.Audit.Add(Audit(actor, "device.reset-automatic", $"{reset.Count} device(s)",
                $"{cause}: their ITL changed and PhoneInteractionOnCertificateUpdate is ResetAutomatically; " +
                (names.Length <= 1500 ? names : names[..1500] + "...")));
        }

        return reset;
    }

    private static ClusterNode RequireNode(SecuritySnapshot state, string nodeName) =>
        state.FindNode(nodeName) ?? throw new NotFoundException($"No node named '{Safe(nodeName)}'.");

    private static (ClusterNode Node, IdentityCertificate Identity) RequireIdentity(SecuritySnapshot state, string nodeName, string name)
    {
        var node = RequireNode(state, nodeName);
        var canonical = CertificateStores.FindIdentity(name)
            ?? throw new InvalidInputException(
                $"'{Safe(name)}' is not an identity certificate; use one of {string.Join(", ", CertificateStores.Identities)}.");
        var identity = state.FindIdentity(node, canonical)
            ?? throw new NotFoundException($"Node '{node.Name}' has no {canonical} certificate.");
        return (node, identity);
    }

    private static ParameterDefinition RequireParameter(string name) =>
        EnterpriseParameterCatalog.Find(name)
        ?? throw new NotFoundException(
            $"Unknown enterprise parameter '{Safe(name)}'; known: {string.Join(", ", EnterpriseParameterCatalog.All.Select(p => p.Name))}.");

    /// <summary>Echoes caller input in messages without control characters or unbounded length.</summary>
    internal static string Safe(string value) =>
        new(value.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
