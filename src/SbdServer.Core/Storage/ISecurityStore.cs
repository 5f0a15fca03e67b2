using SbdServer.Core.Audit;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Errors;

namespace SbdServer.Core.Storage;

/// <summary>Persistence port for the security state. Implemented by SbdServer.Persistence.</summary>
public interface ISecurityStore
{
    Task<SecuritySnapshot> LoadAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<CertificateHistoryEntry>> GetHistoryAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditEntry>> GetAuditAsync(int max, CancellationToken cancellationToken);

    /// <summary>
    /// Serialises a load-decide-commit unit against every process that shares the database (nodes of one cluster on
    /// PostgreSQL): hold the returned handle from before <see cref="LoadAsync"/> until after <see cref="CommitAsync"/>,
    /// so a decision (impact check, "already pending", history of the replaced certificate) is never taken on a state
    /// another node is about to change. Throws <see cref="ClusterBusyException"/> when it cannot be had in time.
    /// </summary>
    Task<IAsyncDisposable> AcquireWriteLockAsync(CancellationToken cancellationToken);

    /// <summary>Applies every change atomically, then publishes <see cref="SecurityChangeSet.Changes"/>.</summary>
    Task CommitAsync(SecurityChangeSet changes, CancellationToken cancellationToken);

    Task<SecurityArchiveContent> ExportAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the whole state with <paramref name="content"/> in one transaction, except the audit log: the archive's
    /// entries are added to it (those it lacks), so what happened since the backup stays on record.
    /// </summary>
    Task ReplaceAllAsync(SecurityArchiveContent content, SecurityChangeSet extra, CancellationToken cancellationToken);
}
