using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SbdServer.Admin.Security;

namespace SbdServer.Admin.Pages;

/// <summary>Sign-in with the admin credentials; the account lockout and the per-address limit apply.</summary>
[AllowAnonymous]
public sealed class SignInModel(IAdminSignIn signIn) : PageModel
{
    private const int MaxFieldLength = 256;

    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Message { get; private set; }

    public void OnGet()
    {
        ReturnUrl = SafeReturnUrl(ReturnUrl);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        ReturnUrl = SafeReturnUrl(ReturnUrl);
        var user = UserName ?? "";
        var password = Password ?? "";
        if (user.Length is 0 or > MaxFieldLength || password.Length is 0 or > MaxFieldLength)
        {
            Message = "Enter the user name and the password.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var remote = HttpContext.Connection.RemoteIpAddress;
        var check = await signIn.CheckAsync(user, password, remote, cancellationToken);
        switch (check.Result)
        {
            case AdminSignInResult.Success:
                var identity = new ClaimsIdentity(
                    [new Claim(ClaimTypes.Name, check.User), new Claim(ClaimTypes.AuthenticationMethod, "ui")], AdminCookie.Scheme);
                await HttpContext.SignInAsync(AdminCookie.Scheme, new ClaimsPrincipal(identity));
                await signIn.AuditAsync(check.User, "admin.signin", remote, cancellationToken);
                return LocalRedirect(ReturnUrl);
            case AdminSignInResult.Locked:
                Message = $"This account is locked after too many wrong passwords. Try again in {Minutes(check.RetryAfter)}.";
                Response.StatusCode = StatusCodes.Status403Forbidden;
                return Page();
            case AdminSignInResult.RateLimited:
                Message = $"Too many failed sign-ins from this address. Try again in {Minutes(check.RetryAfter)}.";
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return Page();
            default:
                Message = "Wrong user name or password.";
                Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Page();
        }
    }

    private static string Minutes(TimeSpan wait)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
        return minutes == 1 ? "1 minute" : minutes.ToString(CultureInfo.InvariantCulture) + " minutes";
    }

    /// <summary>Only a path under /admin: an open redirect to another site after sign-in is a phishing aid.</summary>
    private static string SafeReturnUrl(string? url) =>
        url is { Length: > 0 and < 512 } && url.StartsWith(AdminUiRegistration.BasePath, StringComparison.Ordinal)
            && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal)
            && !url.StartsWith(AdminCookie.SignInPath, StringComparison.Ordinal)
            ? url
            : AdminUiRegistration.BasePath;
}
