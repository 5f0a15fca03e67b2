using System.Security.Cryptography;
using System.Text.Json;
using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Devices;
using SbdServer.Core.Events;
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
    CertificateManager manager)
{
    public const int MaxArchiveBytes = 64 * 1024 * 1024;

    public async Task<byte[]> CreateAsync(string actor, CancellationToken cancellationToken)
    {
        var audit = new SecurityChangeSet();
        audit.Audit.Add(manager.Audit(actor, "backup.create", "cluster", ""));
        await store.CommitAsync(audit, cancellationToken);

        var content = await store.ExportAsync(cancellationToken);
        var json = JsonSerializer.SerializeToUtf8Bytes(BackupDocument.From(content), BackupDocument.JsonOptions);
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

    /// <summary>What the archive holds, fully checked as a restore would check it; changes nothing.</summary>
    public BackupSummary Inspect(byte[] archive)
    {
        var content = Open(archive);
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
    public async Task RestoreAsync(byte[] archive, string actor, CancellationToken cancellationToken)
    {
        var content = Open(archive);
        var extra = new SecurityChangeSet();
        extra.Audit.Add(manager.Audit(actor, "backup.restore", "cluster",
            $"{content.State.Identities.Count} identity certificates, " +
            (content.Devices is null ? "devices untouched (archive without devices)" : $"{content.Devices.Devices.Count} devices")));
        extra.Changes.Add(manager.Change(CertificateStoreChangeKind.Restored, null, null, null));
        await manager.RequestRestoreResetsAsync(extra, content.State, content.Devices?.Devices, actor, cancellationToken);
        await store.ReplaceAllAsync(content, extra, cancellationToken);
    }

    /// <summary>Opens and checks an archive; throws <see cref="CertificateStoreException"/> with the reason.</summary>
    private SecurityArchiveContent Open(byte[] archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        if (archive.Length > MaxArchiveBytes)
        {
            throw new CertificateStoreException($"The archive is {archive.Length} bytes; the limit is {MaxArchiveBytes}.");
        }

        byte[] json;
        try
        {
            json = archives.Open(archive, secret.SecurityPassword);
        }
        catch (WrongPasswordException ex)
        {
            throw new CertificateStoreException(
                "The backup was sealed with another cluster security password; nothing was restored.", ex);
        }
        catch (ProtectedDataException ex)
        {
            throw new CertificateStoreException($"The backup archive is truncated or damaged ({ex.Message}); nothing was restored.", ex);
        }

        SecurityArchiveContent content;
        try
        {
            content = (JsonSerializer.Deserialize<BackupDocument>(json, BackupDocument.JsonOptions)
                ?? throw new CertificateStoreException("The backup archive is empty.")).ToContent();
        }
        catch (JsonException)
        {
            throw new CertificateStoreException("The backup archive decrypted but its content is not a valid backup document.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(json);
        }

        Validate(content);
        if (content.Devices is not null)
        {
            ValidateDevices(content.Devices);
        }

        return content;
    }

    private void Validate(SecurityArchiveContent content)
    {
        var state = content.State;
        if (state.Cluster is null || state.Nodes.Count == 0)
        {
            throw new CertificateStoreException("The backup holds no cluster or no nodes.");
        }

        try
        {
            keys.VerifyPassword(state.Cluster.PasswordVerifier);
        }
        catch (WrongPasswordException)
        {
            throw new CertificateStoreException("The backup belongs to a cluster with another security password; nothing was restored.");
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
                throw new CertificateStoreException($"The backup lacks the private key of {label}; refusing to restore it.");
            }

            byte[] key;
            try
            {
                key = keys.Unprotect(sealedKey);
            }
            catch (Exception ex) when (ex is WrongPasswordException or ProtectedDataException)
            {
                throw new CertificateStoreException($"The private key of {label} in the backup cannot be decrypted; refusing to restore it.");
            }

            try
            {
                if (!inspector.KeyMatches(der, key))
                {
                    throw new CertificateStoreException($"The private key of {label} in the backup does not match its certificate.");
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }
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
                throw new CertificateStoreException("The backup holds a device with an invalid or repeated name; nothing was restored.");
            }

            if (device.CertificateDer is not null && !string.Equals(Sha256Of(device), device.CertificateSha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new CertificateStoreException($"The certificate of device {device.Name} in the backup does not match its recorded SHA-256; nothing was restored.");
            }
        }

        if (section.ServedFiles.GroupBy(f => (f.DeviceName, f.Kind)).Any(g => g.Count() > 1)
            || section.Reports.GroupBy(r => r.DeviceName).Any(g => g.Count() > 1))
        {
            throw new CertificateStoreException("The backup holds two served-file records or reports for one device; nothing was restored.");
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
