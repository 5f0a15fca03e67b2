using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SbdServer.Admin.Security;

namespace SbdServer.Admin.Pages;

/// <summary>
/// Ends the session and returns to sign-in. A link (GET) like CUCM's Logout: the SameSite=Strict cookie is not
/// sent on a request another site starts, so no other site can sign the admin out.
/// </summary>
[AllowAnonymous]
public sealed class SignOutModel(IAdminSignIn signIn) : PageModel
{
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (User.Identity is { IsAuthenticated: true, Name: { } name })
        {
            await HttpContext.SignOutAsync(AdminCookie.Scheme);
            await signIn.AuditAsync(name, "admin.signout", HttpContext.Connection.RemoteIpAddress, cancellationToken);
        }

        return LocalRedirect(AdminCookie.SignInPath);
    }
}
