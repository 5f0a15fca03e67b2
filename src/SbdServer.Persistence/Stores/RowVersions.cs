using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Npgsql;
using SbdServer.Core.Admins;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Devices;
using SbdServer.Core.Errors;
using SbdServer.Core.Nodes;
using SbdServer.Core.Parameters;
using SbdServer.Persistence.Database;

namespace SbdServer.Persistence.Stores;

/// <summary>
/// Optimistic concurrency for rows changed in place (ADR 0003, "Row versions"): an update is written only while the row
/// still has the version the change was read at, and moves it on by one; a delete likewise. Anything else is a
/// <see cref="WriteConflictException"/> with the record named in the administrator's terms, and nothing is written.
/// </summary>
internal static class RowVersions
{
    /// <summary>
    /// Attaches a changed entity read earlier (detached) as modified. The version it carries is the one read: the
    /// UPDATE matches only that version and sets the next.
    /// </summary>
    public static void Update(DbContext db, object entity)
    {
        var entry = db.Update(entity);
        if (Version(entry) is { } version)
        {
            version.CurrentValue = (long)version.OriginalValue! + 1;
        }
    }

    /// <summary>A restored row: past every version read before the restore (<paramref name="offset"/> is the highest).</summary>
    public static void Restore(EntityEntry entry, long offset)
    {
        if (Version(entry) is { } version)
        {
            version.CurrentValue = Math.Max(1, (long)version.CurrentValue!) + offset;
        }
    }

    /// <summary>The highest version of any versioned row (0 for an empty database).</summary>
    public static async Task<long> HighestAsync(SbdDbContext db, CancellationToken cancellationToken)
    {
        long[] highest =
        [
            await db.Clusters.MaxAsync(r => (long?)r.Version, cancellationToken) ?? 0,
            await db.Nodes.MaxAsync(r => (long?)r.Version, cancellationToken) ?? 0,
            await db.CallManagerGroups.MaxAsync(r => (long?)r.Version, cancellationToken) ?? 0,
            await db.IdentityCertificates.MaxAsync(r => (long?)r.Version, cancellationToken) ?? 0,
            await db.EnterpriseParameters.MaxAsync(r => (long?)r.Version, cancellationToken) ?? 0,
            await db.Devices.MaxAsync(r => (long?)r.Version, cancellationToken) ?? 0,
            await db.DeviceServedFiles.MaxAsync(r => (long?)r.Version, cancellationToken) ?? 0,
            await db.AdminUsers.MaxAsync(r => (long?)r.Version, cancellationToken) ?? 0,
        ];
        return highest.Max();
    }

    /// <summary>
    /// Saves, turning a version mismatch (another writer changed or removed the row since it was read) and a
    /// duplicate insert (another writer created the same record meanwhile) into <see cref="WriteConflictException"/>.
    /// On failure the entities' versions are put back to what was read.
    /// </summary>
    public static async Task SaveAsync(DbContext db, CancellationToken cancellationToken)
    {
        var read = db.ChangeTracker.Entries()
            .Where(e => e.State == EntityState.Modified)
            .Select(e => (Entry: e, Version: Version(e)))
            .Where(e => e.Version is not null)
            .Select(e => (e.Entry.Entity, Read: (long)e.Version!.OriginalValue!))
            .ToList();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            PutBack(db, read);
            throw new WriteConflictException(WriteConflictException.ChangedSinceLoaded(Describe(ex.Entries)), ex);
        }
        catch (DbUpdateException ex) when (IsDuplicate(ex))
        {
            PutBack(db, read);
            throw new WriteConflictException(
                $"{Describe(ex.Entries)} was created by another administrator or node at the same time; {WriteConflictException.Advice}.", ex);
        }
    }

    private static PropertyEntry? Version(EntityEntry entry) =>
        entry.Metadata.FindProperty(SbdDbContext.VersionProperty) is { } property && property.IsConcurrencyToken
            ? entry.Property(property)
            : null;

    private static void PutBack(DbContext db, List<(object Entity, long Read)> read)
    {
        foreach (var (entity, version) in read)
        {
            db.Entry(entity).Property(SbdDbContext.VersionProperty).CurrentValue = version;
        }
    }

    private static bool IsDuplicate(DbUpdateException ex) => ex.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,

        // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555).
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };

    private static string Describe(IReadOnlyList<EntityEntry> entries) => (entries.Count == 0 ? null : entries[0].Entity) switch
    {
        Device d => $"Device {d.Name}",
        IdentityCertificate c => $"The {c.Name} certificate",
        TrustCertificate t => $"Trust certificate {t.Sha256} in {t.Store}",
        EnterpriseParameter p => $"Enterprise parameter {p.Name}",
        ClusterSettings => "The cluster's settings",
        ClusterNode n => $"Node {n.Name}",
        CallManagerGroup g => $"CallManager group {g.Name}",
        AdminUser u => $"Admin user {u.Name}",
        PendingItlChange => "The pending ITL change",
        DeviceServedFile f => $"The served-file record of {f.DeviceName}",
        _ => "A record",
    };
}
