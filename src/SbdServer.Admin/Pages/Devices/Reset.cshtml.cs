using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SbdServer.Core.DeviceManagement;
using SbdServer.Core.Devices;
using SbdServer.Core.Errors;

namespace SbdServer.Admin.Pages.Devices;

/// <summary>Asks before resetting one phone (it restarts and fetches its files again); the POST marks the reset.</summary>
public sealed class ResetModel(DeviceManager devices) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Name { get; set; } = "";

    public DeviceView Device { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            Device = await devices.GetAsync(Name, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            var reset = await devices.RequestResetAsync(Name, User.Identity?.Name ?? "unknown", cancellationToken);
            return LocalRedirect(DevicesModel.DetailsUrl(reset.Name) + "&msg=" + Uri.EscapeDataString($"Reset requested for {reset.Name}."));
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
    }
}
