using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SbdServer.Core.Admins;
using SbdServer.Core.Errors;

namespace SbdServer.Admin.Pages.Users;

/// <summary>Change an admin user's password (the configured admin's lives in the configuration).</summary>
public sealed class PasswordModel(AdminUserManager users) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Name { get; set; } = "";

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? Repeat { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await users.FindAsync(Name, cancellationToken) is null ? NotFound() : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!string.Equals(NewPassword, Repeat, StringComparison.Ordinal))
        {
            Error = "The two passwords differ; nothing was changed.";
        }
        else
        {
            try
            {
                var user = await users.ChangePasswordAsync(Name, NewPassword, User.Identity?.Name ?? "unknown", cancellationToken);
                return LocalRedirect("/admin/users?msg=" + Uri.EscapeDataString($"The password of {user.Name} was changed."));
            }
            catch (NotFoundException)
            {
                return NotFound();
            }
            catch (DomainException ex)
            {
                Error = ex.Message;
            }
        }

        Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status400BadRequest;
        return Page();
    }
}
