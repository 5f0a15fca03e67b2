using System.Security.Cryptography;
using System.Text.Json;
using SbdServer.Core.CertificateManagement;
using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Devices;
using SbdServer.Core.Errors;
using SbdServer.Core.Events;
using SbdServer.Core.Impact;
using SbdServer.Core.Storage;

namespace SbdServer.Core.Backup;

/// <summary>
/// Backup and restore of the whole security state as one archive sealed with the cluster security password.
/// Keys stay sealed inside the archive exactly as stored (a second layer under the same password), so a restore is
/// byte-identical.
/// </summary>
public sealed class BackupService(
    ISecurityStore store,
    IKeyProtector keys,
    IPasswordArchive archives,
    ICertificateInspector inspector,
    ClusterSecret secret,
    SecurityUnitOfWork unit,
    DeviceImpact impact,
    IPlanDeviceSource? planDevices = null)
{
    public const int MaxArchiveBytes = 64 * 1024 * 1024;

    public Task<byte[]> CreateAsync(string actor, CancellationToken cancellationToken) =>
        CreateAsync(actor, new BackupOptions(), cancellationToken);

    public async Task<byte[]> CreateAsync(string actor, BackupOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var audit = new SecurityChangeSet();
        audit.Audit.Add(unit.Audit(actor, "backup.create", "cluster",
            options.OmitCallManagerKeys ? "without the CallManager private keys (a CSCtn50405 backup)" : ""));
        await unit.RecordAsync(audit, cancellationToken);

        var content = await store.ExportAsync(cancellationToken);
        var document = BackupDocument.From(content);
        if (options.OmitCallManagerKeys)
        {
            // The exported rows are fresh copies (read without tracking): clearing them changes nothing stored.
            foreach (var identity in document.Identities.Where(i => i.Name == CertificateStores.CallManager))
            {
                identity.ProtectedKey = [];

                // A pending CSR is useless without its key; an archive without CallManager keys carries neither.
                identity.PendingCsrKey = null;
                identity.PendingCsr = null;
                identity.PendingCsrAt = null;
            }

            // The CTL's signer key is a copy of a CallManager key in CallManager signer mode: it goes too.
            foreach (var record in (document.Ctl ?? []).Where(c => c.Name == CertificateStores.CallManager))
            {
                record.ProtectedKey = [];
            }
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(document, BackupDocument.JsonOptions);
        try
        {
            return archives.Seal(json, secret.SecurityPassword);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(json);
        }
    }

    /// <summary>True when <paramref name="password"/> is the cluster security password (constant time).</summary>
    /// <remarks>The UI asks for it again before a backup or restore, as CUCM's DRS does.</remarks>
    public bool IsSecurityPassword(string? password)
    {
        var expected = System.Text.Encoding.UTF8.GetBytes(secret.SecurityPassword);
        var given = System.Text.Encoding.UTF8.GetBytes(password ?? "");
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(expected), SHA256.HashData(given));
    }

    /// <summary>What the archive holds, fully checked as a restore (default options) would check it; changes nothing.</summary>
    public async Task<BackupSummary> InspectAsync(byte[] archive, CancellationToken cancellationToken)
    {
        var (content, _) = await OpenAsync(archive, new RestoreOptions(), cancellationToken);
        var state = content.State;
        return new BackupSummary(
            state.Cluster!.Name,
            state.Cluster.SecurityMode.ToString(),
            [.. state.Nodes.Select(n => n.Name + (n.IsPublisher ? " (publisher)" : ""))],
            state.Identities.Count,
            state.TrustCertificates.Count,
            state.Parameters.Count,
            content.Devices?.Devices.Count,
            content.Audit.Count,
            content.Audit.Count == 0 ? null : content.Audit.Max(a => a.At));
    }

    /// <summary>
    /// Replaces the state with the archive's. Refuses, with nothing changed, an archive that is truncated, tampered,
    /// sealed with another password, or missing a private key (CSCtn50405).
    /// </summary>
    public Task<RestoreOutcome> RestoreAsync(byte[] archive, string actor, CancellationToken cancellationToken) =>
        RestoreAsync(archive, actor, new RestoreOptions(), cancellationToken);

    /// <summary>
    /// Replaces the state with the archive's; with <see cref="MissingKeyPolicy.KeepCurrent"/> an archive lacking a
    /// node's CallManager key is restored with the key the node holds now (what CUCM does with such a backup).
    /// </summary>
    /// <remarks>
    /// Alone (holding the cluster write lock from the first read to the commit): a regeneration, device edit or
    /// parameter change on any node commits entirely before the restore or entirely after it, never in between, and a
    /// change read before the restore is refused after it (row versions move past every earlier one).
    /// </remarks>
    public Task<RestoreOutcome> RestoreAsync(byte[] archive, string actor, RestoreOptions options, CancellationToken cancellationToken) =>
        unit.AloneAsync(ct => RestoreAloneAsync(archive, actor, options, ct), cancellationToken);

    private async Task<RestoreOutcome> RestoreAloneAsync(byte[] archive, string actor, RestoreOptions options, CancellationToken cancellationToken)
    {
        var (content, outcome) = await OpenAsync(archive, options, cancellationToken);
        var extra = new SecurityChangeSet();
        var details = $"{content.State.Identities.Count} identity certificates, " +
            (content.Devices is null ? "devices untouched (archive without devices)" : $"{content.Devices.Devices.Count} devices");
        if (outcome.KeysKept.Count > 0)
        {
            details += $"; private key missing from the archive, the node's current key kept for {string.Join(", ", outcome.KeysKept)}";
        }

        if (outcome.Mismatched.Count > 0)
        {
            details += $"; certificate and key do not match for {string.Join(", ", outcome.Mismatched)} (phones cannot verify its signatures)";
        }

        extra.Audit.Add(unit.Audit(actor, "backup.restore", "cluster", details));
        extra.Changes.Add(unit.Change(CertificateStoreChangeKind.Restored, null, null, null));
        await impact.RequestRestoreResetsAsync(extra, content.State, content.Devices?.Devices, actor, cancellationToken);
        await store.ReplaceAllAsync(content, extra, cancellationToken);
        return outcome;
    }

    /// <summary>
    /// What restoring <paramref name="archive"/> would do to every phone, before it is done: the archive is checked as
    /// a restore checks it and nothing changes. The certificates that differ from the current ones are evaluated as
    /// the planner evaluates regenerations; a CallManager certificate restored without its key onto a node whose key
    /// changed locks every phone of that TFTP node.
    /// </summary>
    public async Task<ChangePlan> PreviewAsync(byte[] archive, RestoreOptions options, CancellationToken cancellationToken)
    {
        var (content, outcome) = await OpenAsync(archive, options, cancellationToken);
        var current = await store.LoadAsync(cancellationToken);
        var devices = planDevices is null ? [] : await planDevices.GetForPlanningAsync(cancellationToken);
        var plan = ChangePlanner.PlanRestore(current, devices, content.State, NodesOf(outcome.Mismatched), NodesOf(CurrentMismatches(current)));
        return plan with { Warnings = [.. outcome.Warnings, .. plan.Warnings] };
    }

    private async Task<(SecurityArchiveContent Content, RestoreOutcome Outcome)> OpenAsync(
        byte[] archive, RestoreOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(options);
        if (archive.Length > MaxArchiveBytes)
        {
            throw new InvalidInputException($"The archive is {archive.Length} bytes; the limit is {MaxArchiveBytes}.");
        }

        byte[] json;
        try
        {
            json = archives.Open(archive, secret.SecurityPassword);
        }
        catch (WrongPasswordException ex)
        {
            throw new WrongPasswordException(
                "The backup was sealed with another cluster security password; nothing was restored.", ex);
        }
        catch (ProtectedDataException ex)
        {
            throw new InvalidInputException($"The backup archive is truncated or damaged ({ex.Message}); nothing was restored.", ex);
        }

        SecurityArchiveContent content;
        try
        {
            content = (JsonSerializer.Deserialize<BackupDocument>(json, BackupDocument.JsonOptions)
                ?? throw new InvalidInputException("The backup archive is empty.")).ToContent();
        }
        catch (JsonException)
        {
            throw new InvalidInputException("The backup archive decrypted but its content is not a valid backup document.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(json);
        }

        if (content.State.Cluster is null || content.State.Nodes.Count == 0)
        {
            throw new InvalidInputException("The backup holds no cluster or no nodes.");
        }

        var kept = options.MissingKeys == MissingKeyPolicy.KeepCurrent
            ? KeepCurrentKeys(content.State, await store.LoadAsync(cancellationToken))
            : [];
        var mismatched = Validate(content, kept);
        if (content.Devices is not null)
        {
            ValidateDevices(content.Devices);
        }

        var warnings = mismatched.Select(label =>
            $"{label}: the archive lacks its private key and the key the node holds now does not match the restored " +
            "certificate (CSCtn50405). The node would sign its ITL (CallManager signer mode), CTL and configs with a key " +
            "phones cannot verify with that certificate: every phone whose TFTP server it is ends \"Trust List Update " +
            "Failed\" and keeps its old config, until a backup holding the key is restored or the node's CallManager " +
            "certificate is regenerated.").ToList();
        return (content, new RestoreOutcome([.. kept.Values], mismatched, warnings));
    }

    // CUCM restores the certificate from the backup and leaves the node's CallManager.pem as it is when the backup
    // lacks it; here "as it is" is the key the node holds in the database now.
    private static Dictionary<IdentityCertificate, string> KeepCurrentKeys(SecuritySnapshot restored, SecuritySnapshot current)
    {
        var kept = new Dictionary<IdentityCertificate, string>(ReferenceEqualityComparer.Instance);
        foreach (var identity in restored.Identities.Where(i => i.ProtectedKey.Length == 0 && i.Name == CertificateStores.CallManager))
        {
            var node = NodeName(restored, identity.NodeId);
            var label = $"{node}/{identity.Name}";
            var now = current.FindNode(node) is { } currentNode ? current.FindIdentity(currentNode, identity.Name) : null;
            if (now is null || now.ProtectedKey.Length == 0)
            {
                throw new InvalidInputException(
                    $"The backup lacks the private key of {label} and this cluster holds no key of its own for it; nothing was restored.");
            }

            if (now.KeyAlgorithm != identity.KeyAlgorithm)
            {
                throw new InvalidInputException(
                    $"The backup lacks the private key of {label}, and the node's current key is {now.KeyAlgorithm}, not {identity.KeyAlgorithm}; nothing was restored.");
            }

            identity.ProtectedKey = [.. now.ProtectedKey];
            kept[identity] = label;
        }

        return kept;
    }

    private List<string> CurrentMismatches(SecuritySnapshot current)
    {
        var result = new List<string>();
        foreach (var identity in current.Identities.Where(i => i.Name == CertificateStores.CallManager && i.ProtectedKey.Length > 0))
        {
            var key = keys.Unprotect(identity.ProtectedKey);
            try
            {
                if (!inspector.KeyMatches(identity.Der, key))
                {
                    result.Add($"{NodeName(current, identity.NodeId)}/{identity.Name}");
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }

        return result;
    }

    private static HashSet<string> NodesOf(IEnumerable<string> labels) =>
        new(labels.Select(l => l[..l.IndexOf('/', StringComparison.Ordinal)]), StringComparer.OrdinalIgnoreCase);

    /// <returns>The kept keys (<paramref name="kept"/>) that do not match their certificates.</returns>
    private List<string> Validate(SecurityArchiveContent content, Dictionary<IdentityCertificate, string> kept)
    {
        var state = content.State;
        var mismatched = new List<string>();
        try
        {
            keys.VerifyPassword(state.Cluster!.PasswordVerifier);
        }
        catch (WrongPasswordException ex)
        {
            throw new WrongPasswordException("The backup belongs to a cluster with another security password; nothing was restored.", ex);
        }

        foreach (var identity in state.Identities.Cast<object>().Concat(content.History))
        {
            var (der, sealedKey, label) = identity switch
            {
                IdentityCertificate c => (c.Der, c.ProtectedKey, $"{NodeName(state, c.NodeId)}/{c.Name}"),
                CertificateHistoryEntry h => (h.Der, h.ProtectedKey, $"history {NodeName(state, h.NodeId)}/{h.Name}"),
                _ => throw new InvalidOperationException(),
            };
            if (sealedKey.Length == 0)
            {
                throw new InvalidInputException(
                    $"The backup lacks the private key of {label}; refusing to restore it. (To reproduce CSCtn50405 on purpose, " +
                    "restore with missingKeys=keep-current: a CallManager certificate then keeps the node's current key.)");
            }

            byte[] key;
            try
            {
                key = keys.Unprotect(sealedKey);
            }
            catch (Exception ex) when (ex is WrongPasswordException or ProtectedDataException)
            {
                throw new InvalidInputException($"The private key of {label} in the backup cannot be decrypted; refusing to restore it.");
            }

            try
            {
                if (inspector.KeyMatches(der, key))
                {
                    continue;
                }

                if (identity is IdentityCertificate substituted && kept.ContainsKey(substituted))
                {
                    mismatched.Add(label);
                    continue;
                }

                throw new InvalidInputException($"The private key of {label} in the backup does not match its certificate.");
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }

        foreach (var identity in state.Identities.Where(i => i.PendingCsrKey is not null))
        {
            ValidatePendingCsr(identity, $"{NodeName(state, identity.NodeId)}/{identity.Name}");
        }

        return mismatched;
    }

    // A pending CSR restores with its key or not at all: a CA-signed certificate for it could never be installed.
    private void ValidatePendingCsr(IdentityCertificate identity, string label)
    {
        byte[] key;
        try
        {
            key = keys.Unprotect(identity.PendingCsrKey!);
        }
        catch (Exception ex) when (ex is WrongPasswordException or ProtectedDataException)
        {
            throw new InvalidInputException($"The key of the pending CSR of {label} in the backup cannot be decrypted; refusing to restore it.");
        }

        try
        {
            if (identity.PendingCsr is { } csr && !CsrKeyMatches(csr, key))
            {
                throw new InvalidInputException($"The key of the pending CSR of {label} in the backup does not match the CSR.");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private bool CsrKeyMatches(byte[] csr, byte[] key)
    {
        try
        {
            return inspector.CsrKeyMatches(csr, key);
        }
        catch (CertificateImportException)
        {
            return false;
        }
    }

    // Devices are checked like keys are: a restore must not bring back a device whose certificate no longer matches
    // the digests the configs are built from, or two rows for one phone.
    private void ValidateDevices(DeviceArchiveSection section)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var device in section.Devices)
        {
            if (!DeviceName.TryParse(device.Name, out var parsed) || parsed.Value != device.Name || !names.Add(device.Name))
            {
                throw new InvalidInputException("The backup holds a device with an invalid or repeated name; nothing was restored.");
            }

            if (device.CertificateDer is not null && !string.Equals(Sha256Of(device), device.CertificateSha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidInputException($"The certificate of device {device.Name} in the backup does not match its recorded SHA-256; nothing was restored.");
            }
        }

        if (section.ServedFiles.GroupBy(f => (f.DeviceName, f.Kind)).Any(g => g.Count() > 1)
            || section.Reports.GroupBy(r => r.DeviceName).Any(g => g.Count() > 1))
        {
            throw new InvalidInputException("The backup holds two served-file records or reports for one device; nothing was restored.");
        }
    }

    private string? Sha256Of(Device device)
    {
        try
        {
            return inspector.Inspect(device.CertificateDer).Sha256;
        }
        catch (CertificateImportException)
        {
            return null;
        }
    }

    private static string NodeName(SecuritySnapshot state, Guid nodeId) =>
        state.Nodes.FirstOrDefault(n => n.Id == nodeId)?.Name ?? nodeId.ToString();
}
