using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SbdServer.Core.Devices;
using SbdServer.Core.Errors;
using SbdServer.Core.Provisioning;

namespace SbdServer.Admin.Pages.Devices;

/// <summary>
/// CUCM's Find and List Phones: search by name or description, the ITL File Status filter, one page of rows at a
/// time; the database filters, counts and pages (<see cref="DeviceDirectory"/>).
/// </summary>
public sealed class DevicesModel(DeviceDirectory directory) : PageModel
{
    public const int PageSize = DeviceDirectory.DefaultPageSize;

    /// <summary>The filter's choices: query value, CUCM's words, the state.</summary>
    public static readonly (string Value, TrustFileState State)[] ItlChoices =
    [
        ("match", TrustFileState.InSync),
        ("mismatch", TrustFileState.ReportedMismatch),
        ("notinstalled", TrustFileState.NeverFetched),
        ("unknown", TrustFileState.Stale),
    ];

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true, Name = "itl")]
    public string? Itl { get; set; }

    // "p", not "page": Razor Pages reserves the "page" route value for the page's own path.
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public DevicePage Result { get; private set; } = new([], 0, 0, PageSize);

    public string? Error { get; private set; }

    public int PageCount => Math.Max(1, (Result.Total + PageSize - 1) / PageSize);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var state = ItlChoices.Where(c => c.Value == Itl).Select(c => (TrustFileState?)c.State).FirstOrDefault();
        Itl = state is null ? null : Itl;
        PageNumber = Math.Clamp(PageNumber, 1, 100_000);
        try
        {
            Result = await directory.SearchAsync(Query, state, (PageNumber - 1) * PageSize, PageSize, cancellationToken);
        }
        catch (DomainException ex)
        {
            Error = ex.Message;
            Query = null;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }

    public string PageUrl(int page) =>
        "/admin/devices?" + string.Join("&", new[]
        {
            string.IsNullOrEmpty(Query) ? null : "q=" + Uri.EscapeDataString(Query),
            Itl is null ? null : "itl=" + Itl,
            "p=" + page,
        }.Where(p => p is not null));

    public static string DetailsUrl(string name) => "/admin/devices/details?name=" + Uri.EscapeDataString(name);
}
