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
    /// PostgreSQL: the cluster-wide advisory lock (<see cref="ClusterWriteLock"/>). SQLite: nothing to add to the
    /// caller's in-process lock, since one SQLite file serves one node.
    /// </summary>
    public Task<IAsyncDisposable> AcquireWriteLockAsync(CancellationToken cancellationToken) =>
        contexts.Options.Provider == DatabaseProvider.Postgres
            ? ClusterWriteLock.AcquireAsync(this, contexts.Options.EffectiveConnectionString, WriteLockTimeout, cancellationToken)
            : Task.FromResult<IAsyncDisposable>(NoLock.Instance);

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
        await using var db = contexts.Create();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await SerialiseAsync(db, cancellationToken);
        foreach (var entity in changes.Removed)
        {
            db.Remove(entity);
        }

        foreach (var entity in changes.Updated)
        {
            db.Update(entity);
        }

        foreach (var entity in changes.Added)
        {
            db.Add(entity);
        }

        db.AddRange(changes.Audit);
        await db.SaveChangesAsync(cancellationToken);
        await NotifyAsync(db, changes.Changes, cancellationToken);
        CrashPointBeforeCommit();
        await transaction.CommitAsync(cancellationToken);
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
        await using var db = contexts.Create();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await SerialiseAsync(db, cancellationToken);

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
        db.Add(state.Cluster!);
        db.AddRange(state.Nodes);
        await db.SaveChangesAsync(cancellationToken);
        db.AddRange(state.Groups);
        db.AddRange(state.Identities);
        db.AddRange(state.TrustCertificates);
        db.AddRange(state.Parameters);
        db.AddRange(state.PendingItlChanges);
        db.AddRange(state.CtlCertificates);
        db.AddRange(content.History);

        // The audit log is the one thing a restore adds to instead of replacing: who did what since the backup (the
        // refused attempts, the restore itself) stays on record, and the archive's entries come back beside it.
        var audited = (await db.AuditLog.AsNoTracking().Select(a => a.Id).ToListAsync(cancellationToken)).ToHashSet();
        db.AddRange(content.Audit.Where(a => !audited.Contains(a.Id)));
        db.AddRange(extra.Audit);
        if (content.Devices is not null)
        {
            db.AddRange(content.Devices.Devices);
            db.AddRange(content.Devices.ServedFiles);
            db.AddRange(content.Devices.Reports);
        }

        // Rows the restore leaves in place but changes (devices marked for reset by an archive without devices); the
        // archive's own rows are already added above.
        foreach (var entity in extra.Updated.Where(e => db.Entry(e).State == EntityState.Detached))
        {
            db.Update(entity);
        }

        await db.SaveChangesAsync(cancellationToken);
        await NotifyAsync(db, extra.Changes, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
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
    /// A commit outside a unit (devices, backups, first start) queues behind the units of every node for the rest of
    /// its transaction; inside a unit the flow already holds the session lock, and taking it again on this second
    /// connection would wait for itself.
    /// </summary>
    private async Task SerialiseAsync(SbdDbContext db, CancellationToken cancellationToken)
    {
        if (contexts.Options.Provider != DatabaseProvider.Postgres || await ClusterWriteLock.HeldByAsync(this, cancellationToken))
        {
            return;
        }

        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ClusterWriteLock.Key})", cancellationToken);
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
