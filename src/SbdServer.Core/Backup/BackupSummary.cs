namespace SbdServer.Core.Backup;

/// <summary>What a backup archive holds, shown before a restore replaces the state with it.</summary>
/// <param name="Devices">Null for an archive without a device section (the restore leaves devices as they are).</param>
/// <param name="LatestAuditAt">The newest audit entry inside, about when the backup was taken.</param>
public sealed record BackupSummary(
    string Cluster,
    string SecurityMode,
    IReadOnlyList<string> Nodes,
    int IdentityCertificates,
    int TrustCertificates,
    int Parameters,
    int? Devices,
    int AuditEntries,
    DateTimeOffset? LatestAuditAt);
