using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SbdServer.Core.DeviceManagement;
using SbdServer.Core.Errors;

namespace SbdServer.Admin.Pages.Parameters;

/// <summary>Enterprise Parameters "Reset": asks first (how many devices), then marks every device for reset.</summary>
public sealed class ResetModel(DeviceManager devices) : PageModel
{
    public int DeviceCount { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        DeviceCount = (await devices.ListAsync(cancellationToken)).Count;

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            var count = await devices.RequestResetAllAsync(User.Identity?.Name ?? "unknown", cancellationToken);
            return LocalRedirect("/admin/parameters?msg=" + Uri.EscapeDataString($"Reset requested for {count} devices."));
        }
        catch (DomainException ex)
        {
            Error = ex.Message;
            DeviceCount = (await devices.ListAsync(cancellationToken)).Count;
            Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status400BadRequest;
            return Page();
        }
    }
}
