namespace SbdServer.Core.Backup;

/// <summary>How <see cref="BackupService.CreateAsync(string, BackupOptions, CancellationToken)"/> builds the archive.</summary>
/// <param name="OmitCallManagerKeys">
/// Leave the nodes' CallManager private keys out, as the DRS backups of CSCtn50405 did (CallManager.pem missing), so
/// a lab can reproduce what restoring such a backup does to phones (scenario 25). Audited.
/// </param>
public sealed record BackupOptions(bool OmitCallManagerKeys = false);

/// <summary>What a restore does with an identity certificate whose private key the archive lacks.</summary>
public enum MissingKeyPolicy
{
    /// <summary>Refuse the whole archive, changing nothing (the default).</summary>
    Refuse,

    /// <summary>
    /// For a CallManager certificate only: restore the archive's certificate and keep the key the node holds now, as
    /// CUCM does when CallManager.pem is missing from the backup (CSCtn50405). When the node's key has changed since
    /// the backup, certificate and key no longer match and phones cannot verify what the node signs.
    /// </summary>
    KeepCurrent,
}

/// <param name="MissingKeys">What to do with a CallManager certificate whose key the archive lacks.</param>
public sealed record RestoreOptions(MissingKeyPolicy MissingKeys = MissingKeyPolicy.Refuse);

/// <summary>What a restore did beyond replacing the state.</summary>
/// <param name="KeysKept">Certificates (<c>node/CallManager</c>) restored with the node's current key.</param>
/// <param name="Mismatched">Of those, the ones whose kept key does not match the restored certificate.</param>
/// <param name="Warnings">What phones will do about it, in an admin's words.</param>
public sealed record RestoreOutcome(IReadOnlyList<string> KeysKept, IReadOnlyList<string> Mismatched, IReadOnlyList<string> Warnings);
