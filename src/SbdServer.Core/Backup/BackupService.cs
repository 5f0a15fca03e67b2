using System.Security.Cryptography;
using System.Text.Json;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Events;
using SbdServer.Core.Storage;

namespace SbdServer.Core.Backup;

/// <summary>
/// Backup and restore of the whole security state as one archive sealed with the cluster security password.
/// Keys stay sealed inside the archive exactly as stored, so a restore is byte-identical.
/// </summary>
public sealed class BackupService(ISecurityStore store, IKeyProtector keys, CertificateManager manager)
{
    /// <summary>"SBDBAK" + format version 1.</summary>
    private static readonly byte[] Magic = "SBDBAK\u0000\u0001"u8.ToArray();

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
            return [.. Magic, .. keys.Protect(json)];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(json);
        }
    }

    /// <summary>
    /// Replaces the state with the archive's. Refuses, with nothing changed, an archive that is truncated, tampered,
    /// sealed with another password, or missing a private key (CSCtn50405).
    /// </summary>
    public async Task RestoreAsync(byte[] archive, string actor, CancellationToken cancellationToken)
    {
        if (archive.Length > MaxArchiveBytes)
        {
            throw new CertificateStoreException($"The archive is {archive.Length} bytes; the limit is {MaxArchiveBytes}.");
        }

        if (archive.Length < Magic.Length || !archive.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new CertificateStoreException("This is not an SbdServer backup archive (bad magic or version).");
        }

        var json = keys.Unprotect(archive.AsSpan(Magic.Length));
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
        var extra = new SecurityChangeSet();
        extra.Audit.Add(manager.Audit(actor, "backup.restore", "cluster", $"{content.State.Identities.Count} identity certificates"));
        extra.Changes.Add(manager.Change(CertificateStoreChangeKind.Restored, null, null, null));
        await store.ReplaceAllAsync(content, extra, cancellationToken);
    }

    private void Validate(SecurityArchiveContent content)
    {
        var state = content.State;
        if (state.Cluster is null || state.Nodes.Count == 0)
        {
            throw new CertificateStoreException("The backup holds no cluster or no nodes.");
        }

        if (!keys.Verify(state.Cluster.PasswordVerifier))
        {
            throw new WrongPasswordException("The backup belongs to a cluster with another security password.");
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
            catch (CertificateStoreException)
            {
                throw new CertificateStoreException($"The private key of {label} in the backup cannot be decrypted; refusing to restore it.");
            }

            try
            {
                if (!KeyPairCheck.Matches(der, key))
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

    private static string NodeName(SecuritySnapshot state, Guid nodeId) =>
        state.Nodes.FirstOrDefault(n => n.Id == nodeId)?.Name ?? nodeId.ToString();
}
