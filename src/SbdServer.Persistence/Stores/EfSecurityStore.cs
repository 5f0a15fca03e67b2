using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SbdServer.Core.Audit;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Errors;
using SbdServer.Core.Events;
using SbdServer.Core.Storage;
using SbdServer.Persistence.Database;
using SbdServer.Persistence.Notifications;

namespace SbdServer.Persistence.Stores;

/// <summary>EF Core implementation of <see cref="ISecurityStore"/> for SQLite and PostgreSQL.</summary>
public sealed class EfSecurityStore(SbdDbContextFactory contexts, CertificateStoreEventHub events) : ISecurityStore
{
    /// <summary>
    /// Test hook for the crash-consistency tests: when this environment variable is "1" the process dies after the
    /// changes are written and before the transaction commits, as a power cut would.
    /// </summary>
    public const string CrashBeforeCommitVariable = "SBD_TEST_CRASH_BEFORE_COMMIT";

    /// <summary>How long a unit waits for another node's unit before it gives up with <see cref="ClusterBusyException"/>.</summary>
    internal TimeSpan WriteLockTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The database's single writer for one unit: the cluster-wide advisory lock on PostgreSQL
    /// (<see cref="ClusterWriteLock"/>), <c>BEGIN IMMEDIATE</c> on SQLite (<see cref="SqliteWriteUnit"/>). Either
    /// way the unit's commits run on the unit's own connection.
    /// </summary>
    public Task<IAsyncDisposable> AcquireWriteLockAsync(CancellationToken cancellationToken) =>
        contexts.Options.Provider == DatabaseProvider.Postgres
            ? ClusterWriteLock.AcquireAsync(this, contexts.Options.EffectiveConnectionString, WriteLockTimeout, cancellationToken)
            : SqliteWriteUnit.AcquireAsync(this, contexts.Options.EffectiveConnectionString, WriteLockTimeout, cancellationToken);

    public async Task<SecuritySnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        return await LoadAsync(db, cancellationToken);
    }

    public async Task<IReadOnlyList<CertificateHistoryEntry>> GetHistoryAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var list = await db.CertificateHistory.AsNoTracking().ToListAsync(cancellationToken);
        return [.. list.OrderBy(h => h.ReplacedAt)];
    }

    public async Task<IReadOnlyList<AuditEntry>> GetAuditAsync(int max, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();

        // Ids are UUIDv7, so their order is creation order on both providers.
        var list = await db.AuditLog.AsNoTracking().OrderByDescending(a => a.Id).Take(max).ToListAsync(cancellationToken);
        return [.. list.OrderByDescending(a => a.At)];
    }

    public async Task CommitAsync(SecurityChangeSet changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        await InTransactionAsync(async db =>
        {
            foreach (var entity in changes.Removed)
            {
                db.Remove(entity);
            }

            foreach (var entity in changes.Updated.Distinct(ReferenceEqualityComparer.Instance))
            {
                RowVersions.Update(db, entity!);
            }

            foreach (var entity in changes.Added)
            {
                db.Add(entity);
            }

            db.AddRange(changes.Audit);
            await RowVersions.SaveAsync(db, cancellationToken);
            await NotifyAsync(db, changes.Changes, cancellationToken);
            CrashPointBeforeCommit();
            return true;
        }, cancellationToken);
        Publish(changes.Changes);
    }

    public async Task<SecurityArchiveContent> ExportAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var state = await LoadAsync(db, cancellationToken);
        var history = await db.CertificateHistory.AsNoTracking().ToListAsync(cancellationToken);
        var audit = await db.AuditLog.AsNoTracking().ToListAsync(cancellationToken);
        var devices = new DeviceArchiveSection(
            await db.Devices.AsNoTracking().OrderBy(d => d.Name).ToListAsync(cancellationToken),
            await db.DeviceServedFiles.AsNoTracking().ToListAsync(cancellationToken),
            await db.DeviceReports.AsNoTracking().ToListAsync(cancellationToken));
        return new SecurityArchiveContent(state, history, audit, devices);
    }

    public async Task ReplaceAllAsync(SecurityArchiveContent content, SecurityChangeSet extra, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(extra);
        await InTransactionAsync(async db =>
        {
            // Restored rows get versions past every version read before, so no change based on such a read applies to
            // them (an archive's row can have the very version the current row has, with other content).
            var offset = await RowVersions.HighestAsync(db, cancellationToken);

            if (content.Devices is not null && contexts.Options.Provider == DatabaseProvider.Postgres)
            {
                // Phones write these outside the cluster write lock (what they fetched, what they report). A phone's row
                // committed between the deletes below and the archive's inserts would collide with the archive's row
                // for the same phone (and fail the restore) or outlive it; so phones wait for the restore here, and
                // readers do not (EXCLUSIVE still lets them read).
                await db.Database.ExecuteSqlRawAsync("LOCK TABLE device_served_files, device_reports IN EXCLUSIVE MODE", cancellationToken);
            }

            // Children before parents (foreign keys to nodes).
            await db.PendingItlChanges.ExecuteDeleteAsync(cancellationToken);
            await db.CtlCertificates.ExecuteDeleteAsync(cancellationToken);
            await db.CertificateHistory.ExecuteDeleteAsync(cancellationToken);
            await db.IdentityCertificates.ExecuteDeleteAsync(cancellationToken);
            await db.TrustCertificates.ExecuteDeleteAsync(cancellationToken);
            await db.CallManagerGroups.ExecuteDeleteAsync(cancellationToken);
            await db.EnterpriseParameters.ExecuteDeleteAsync(cancellationToken);
            await db.Nodes.ExecuteDeleteAsync(cancellationToken);
            await db.Clusters.ExecuteDeleteAsync(cancellationToken);
            if (content.Devices is not null)
            {
                await db.DeviceReports.ExecuteDeleteAsync(cancellationToken);
                await db.DeviceServedFiles.ExecuteDeleteAsync(cancellationToken);
                await db.Devices.ExecuteDeleteAsync(cancellationToken);
            }

            var state = content.State;
            RowVersions.Restore(db.Add(state.Cluster!), offset);
            foreach (var node in state.Nodes)
            {
                RowVersions.Restore(db.Add(node), offset);
            }

            await db.SaveChangesAsync(cancellationToken);

            // The audit log is the one thing a restore adds to instead of replacing: who did what since the backup (the
            // refused attempts, the restore itself) stays on record, and the archive's entries come back beside it.
            var audited = (await db.AuditLog.AsNoTracking().Select(a => a.Id).ToListAsync(cancellationToken)).ToHashSet();
            IEnumerable<object> restored =
            [
                .. state.Groups, .. state.Identities, .. state.TrustCertificates, .. state.Parameters,
                .. state.PendingItlChanges, .. state.CtlCertificates, .. content.History, .. content.Audit.Where(a => !audited.Contains(a.Id)),
                .. extra.Audit,
                .. content.Devices?.Devices ?? [], .. content.Devices?.ServedFiles ?? [], .. content.Devices?.Reports ?? [],
            ];
            foreach (var entity in restored)
            {
                RowVersions.Restore(db.Add(entity), offset);
            }

            // Rows the restore leaves in place but changes (devices marked for reset by an archive without devices); the
            // archive's own rows are already added above.
            foreach (var entity in extra.Updated.Where(e => db.Entry(e).State == EntityState.Detached))
            {
                RowVersions.Update(db, entity);
            }

            await RowVersions.SaveAsync(db, cancellationToken);
            await NotifyAsync(db, extra.Changes, cancellationToken);
            return true;
        }, cancellationToken);
        Publish(extra.Changes);
    }

    private static async Task<SecuritySnapshot> LoadAsync(SbdDbContext db, CancellationToken cancellationToken)
    {
        var cluster = await db.Clusters.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        var nodes = await db.Nodes.AsNoTracking().ToListAsync(cancellationToken);
        var groups = await db.CallManagerGroups.AsNoTracking().ToListAsync(cancellationToken);
        var identities = await db.IdentityCertificates.AsNoTracking().ToListAsync(cancellationToken);
        var trust = await db.TrustCertificates.AsNoTracking().ToListAsync(cancellationToken);
        var parameters = await db.EnterpriseParameters.AsNoTracking().ToListAsync(cancellationToken);
        var pending = await db.PendingItlChanges.AsNoTracking().ToListAsync(cancellationToken);
        var ctl = await db.CtlCertificates.AsNoTracking().ToListAsync(cancellationToken);
        return new SecuritySnapshot(
            cluster,
            [.. nodes.OrderByDescending(n => n.IsPublisher).ThenBy(n => n.Name, StringComparer.Ordinal)],
            [.. groups.OrderBy(g => g.Name, StringComparer.Ordinal)],
            identities,
            trust,
            parameters,
            pending)
        {
            CtlCertificates = [.. ctl.OrderBy(c => c.Position)],
        };
    }

    /// <summary>
    /// Runs <paramref name="write"/> in one transaction and commits it. Inside a unit of this store (this async flow
    /// holds <see cref="AcquireWriteLockAsync"/>) it runs on the unit's connection, which holds the lock already.
    /// Outside a unit it queues behind the units of every node: on PostgreSQL with the same advisory key,
    /// transaction-scoped; on SQLite the transaction is <c>BEGIN IMMEDIATE</c>, which waits for the unit's.
    /// </summary>
    private async Task<T> InTransactionAsync<T>(Func<SbdDbContext, Task<T>> write, CancellationToken cancellationToken)
    {
        if (WriteUnit.Of(this) is { } unit)
        {
            return await unit.CommitAsync(async (connection, transaction) =>
            {
                await using var db = contexts.Create(connection);
                await db.Database.UseTransactionAsync(transaction, cancellationToken);
                return await write(db);
            }, cancellationToken);
        }

        await using var db = contexts.Create();
        await using var transaction = await BeginAsync(db, cancellationToken);
        if (contexts.Options.Provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ClusterWriteLock.Key})", cancellationToken);
        }

        var result = await write(db);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginAsync(
        SbdDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            return await db.Database.BeginTransactionAsync(cancellationToken);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex) when (ex.SqliteErrorCode is 5 or 6)
        {
            // SQLITE_BUSY / SQLITE_LOCKED after the busy timeout: a unit held the file all that time.
            throw new ClusterBusyException("Another writer has held the database too long; nothing was changed, retry.", ex);
        }
    }

    // NOTIFY inside the transaction is delivered by PostgreSQL only if, and when, it commits.
    private async Task NotifyAsync(SbdDbContext db, List<CertificateStoreChange> changes, CancellationToken cancellationToken)
    {
        if (contexts.Options.Provider != DatabaseProvider.Postgres)
        {
            return;
        }

        foreach (var change in changes)
        {
            var payload = JsonSerializer.Serialize(change, PostgresChangeListener.JsonOptions);
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({PostgresChangeListener.Channel}, {payload})", cancellationToken);
        }
    }

    private void Publish(List<CertificateStoreChange> changes)
    {
        foreach (var change in changes)
        {
            events.Publish(change);
        }
    }

    private static void CrashPointBeforeCommit()
    {
        if (Environment.GetEnvironmentVariable(CrashBeforeCommitVariable) == "1")
        {
            Environment.FailFast("Test crash point before commit (" + CrashBeforeCommitVariable + ").");
        }
    }
}
