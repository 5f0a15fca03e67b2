using Microsoft.EntityFrameworkCore;
using SbdServer.Core.Audit;
using SbdServer.Persistence.Database;

namespace SbdServer.Persistence.Stores;

/// <summary>
/// The audit log paged in SQL. Ids are UUIDv7, so their order is creation order on both providers and the primary key
/// gives a page in order; the filters scan the log (10 000 entries take milliseconds).
/// </summary>
public sealed class EfAuditLog(SbdDbContextFactory contexts) : IAuditLog
{
    public async Task<AuditPage> PageAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = contexts.Create();
        var entries = db.AuditLog.AsNoTracking();
        if (query.Actor is { } actor)
        {
            entries = entries.Where(a => a.Actor == actor);
        }

        if (query.Action is { } action)
        {
            entries = entries.Where(a => a.Action == action);
        }

        if (query.Text is { } text)
        {
            var lower = text.ToLowerInvariant();
#pragma warning disable CA1862 // EF translates ToLower/Contains to SQL; the StringComparison overloads it cannot
            entries = entries.Where(a => a.Actor.ToLower().Contains(lower) || a.Action.ToLower().Contains(lower)
                || a.Target.ToLower().Contains(lower) || a.Details.ToLower().Contains(lower));
#pragma warning restore CA1862
        }

        var total = await entries.CountAsync(cancellationToken);
        var page = await entries.OrderByDescending(a => a.Id).Skip(query.Offset).Take(query.Limit).ToListAsync(cancellationToken);
        return new AuditPage(page, total, query.Offset, query.Limit);
    }

    public async Task<AuditFacets> FacetsAsync(int max, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var actors = await db.AuditLog.Select(a => a.Actor).Distinct().OrderBy(a => a).Take(max).ToListAsync(cancellationToken);
        var actions = await db.AuditLog.Select(a => a.Action).Distinct().OrderBy(a => a).Take(max).ToListAsync(cancellationToken);
        return new AuditFacets(actors, actions);
    }
}
