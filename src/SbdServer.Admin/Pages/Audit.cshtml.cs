using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SbdServer.Core.Audit;

namespace SbdServer.Admin.Pages;

/// <summary>
/// Who did what, when, from where (UI sign-ins carry the address), newest first: one page at a time, filtered by actor,
/// action and a text search, all in the database (<see cref="IAuditLog"/>), so the page stays small with any log size.
/// </summary>
public sealed class AuditModel(IAuditLog log) : PageModel
{
    public const int MaxTextLength = 128;

    /// <summary>The page sizes offered; anything else falls back to the first.</summary>
    public static readonly int[] PageSizes = [50, 100, 200];

    /// <summary>Distinct actors and actions offered as filter choices, at most.</summary>
    public const int MaxChoices = 200;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true, Name = "actor")]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true, Name = "action")]
    public string? ActionName { get; set; }

    // "p", not "page": Razor Pages reserves the "page" route value for the page's own path.
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    [BindProperty(SupportsGet = true, Name = "size")]
    public int PageSize { get; set; } = PageSizes[0];

    public AuditPage Result { get; private set; } = new([], 0, 0, PageSizes[0]);

    public AuditFacets Choices { get; private set; } = new([], []);

    public string? Error { get; private set; }

    public int PageCount => Math.Max(1, (Result.Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Query = Clean(Query);
        Actor = Clean(Actor);
        ActionName = Clean(ActionName);
        if (new[] { Query, Actor, ActionName }.Any(v => v is not null && (v.Length > MaxTextLength || v.Any(char.IsControl))))
        {
            Error = $"Search, actor and action take at most {MaxTextLength} characters and no control characters.";
            Query = Actor = ActionName = null;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        PageSize = PageSizes.Contains(PageSize) ? PageSize : PageSizes[0];
        PageNumber = Math.Clamp(PageNumber, 1, 100_000);
        Choices = await log.FacetsAsync(MaxChoices, cancellationToken);
        Result = await log.PageAsync(new AuditQuery(Actor, ActionName, Query, (PageNumber - 1) * PageSize, PageSize), cancellationToken);
        if (Result.Entries.Count == 0 && Result.Total > 0)
        {
            // A link kept from a longer log, or a typed page number past the end: the last page rather than none.
            PageNumber = PageCount;
            Result = await log.PageAsync(new AuditQuery(Actor, ActionName, Query, (PageNumber - 1) * PageSize, PageSize), cancellationToken);
        }
    }

    public string PageUrl(int page) =>
        "/admin/audit?" + string.Join("&", new[]
        {
            Query is null ? null : "q=" + Uri.EscapeDataString(Query),
            Actor is null ? null : "actor=" + Uri.EscapeDataString(Actor),
            ActionName is null ? null : "action=" + Uri.EscapeDataString(ActionName),
            PageSize == PageSizes[0] ? null : "size=" + PageSize,
            "p=" + page,
        }.Where(p => p is not null));

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
