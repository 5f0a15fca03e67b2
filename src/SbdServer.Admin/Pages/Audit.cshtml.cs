using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SbdServer.Core.Audit;
using SbdServer.Core.Storage;

namespace SbdServer.Admin.Pages;

/// <summary>Who did what, when, from where (UI sign-ins carry the address), newest first, with a text search.</summary>
public sealed class AuditModel(ISecurityStore store) : PageModel
{
    /// <summary>How many of the latest entries the page searches and shows at most.</summary>
    public const int Window = 1000;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var query = Query?.Trim();
        Query = query is { Length: > 128 } ? query[..128] : query;
        var entries = await store.GetAuditAsync(Window, cancellationToken);
        Entries = string.IsNullOrEmpty(Query)
            ? entries
            : [.. entries.Where(e => Matches(e, Query))];
    }

    private static bool Matches(AuditEntry entry, string query) =>
        entry.Actor.Contains(query, StringComparison.OrdinalIgnoreCase)
        || entry.Action.Contains(query, StringComparison.OrdinalIgnoreCase)
        || entry.Target.Contains(query, StringComparison.OrdinalIgnoreCase)
        || entry.Details.Contains(query, StringComparison.OrdinalIgnoreCase);
}
