namespace SbdServer.Core.Audit;

/// <summary>
/// The audit log as the admin UI reads it: filtered, counted and paged in the database, newest first, so the page
/// stays one page long however many entries a fleet's changes wrote (10 000 device creations are 10 000 entries).
/// </summary>
public interface IAuditLog
{
    Task<AuditPage> PageAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>The actors and actions that occur in the log, sorted, for the filter's choices (at most <paramref name="max"/> each).</summary>
    Task<AuditFacets> FacetsAsync(int max, CancellationToken cancellationToken);
}

/// <param name="Actor">Only entries by this actor (exact); null for all.</param>
/// <param name="Action">Only entries with this action (exact, e.g. <c>certificate.regenerate</c>); null for all.</param>
/// <param name="Text">Part of the actor, action, target or details, any case; null for all.</param>
/// <param name="Offset">Entries to skip, newest first.</param>
/// <param name="Limit">Entries to return at most.</param>
public sealed record AuditQuery(string? Actor, string? Action, string? Text, int Offset, int Limit);

/// <param name="Total">Entries matching the query, over all pages.</param>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, int Total, int Offset, int Limit);

public sealed record AuditFacets(IReadOnlyList<string> Actors, IReadOnlyList<string> Actions);
