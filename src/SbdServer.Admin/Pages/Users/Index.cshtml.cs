using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SbdServer.Core.Admins;
using SbdServer.Core.Errors;

namespace SbdServer.Admin.Pages.Users;

/// <summary>Admin users: list, add, disable and enable (nobody disables himself; the last enabled admin stays).</summary>
public sealed class UsersModel(AdminUserManager users) : PageModel
{
    [BindProperty]
    public string? NewName { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty(SupportsGet = true, Name = "msg")]
    public string? Message { get; set; }

    public string? Error { get; private set; }

    public IReadOnlyList<AdminUserView> Users { get; private set; } = [];

    public string Me => User.Identity?.Name ?? "";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Message = Message is { Length: > 300 } ? Message[..300] : Message;
        Users = await users.ListAsync(cancellationToken);
    }

    public Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken) =>
        RunAsync(async () => $"Admin user {(await users.AddAsync(NewName, NewPassword, Me, cancellationToken)).Name} added.", cancellationToken);

    public Task<IActionResult> OnPostDisableAsync(CancellationToken cancellationToken) =>
        RunAsync(async () => $"Admin user {(await users.SetEnabledAsync(Name ?? "", false, Me, cancellationToken)).Name} disabled.", cancellationToken);

    public Task<IActionResult> OnPostEnableAsync(CancellationToken cancellationToken) =>
        RunAsync(async () => $"Admin user {(await users.SetEnabledAsync(Name ?? "", true, Me, cancellationToken)).Name} enabled.", cancellationToken);

    private async Task<IActionResult> RunAsync(Func<Task<string>> change, CancellationToken cancellationToken)
    {
        try
        {
            var message = await change();
            return LocalRedirect("/admin/users?msg=" + Uri.EscapeDataString(message));
        }
        catch (DomainException ex)
        {
            Error = ex.Message; // NotFoundException too: a user removed meanwhile
        }

        Users = await users.ListAsync(cancellationToken);
        Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status400BadRequest;
        return Page();
    }
}
