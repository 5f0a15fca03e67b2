using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SbdServer.Core.CertificateManagement;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Errors;
using SbdServer.Core.Impact;

namespace SbdServer.Admin.Pages.Devices;

/// <summary>
/// CUCM's <c>utils itl reset localkey</c> and its end (restart TFTP): the change planner's impact of the next step
/// first, then the button, as <c>/api/itl/reset</c>.
/// </summary>
public sealed class ItlResetModel(ItlResets itlResets, ChangePlanService planner) : PageModel
{
    /// <summary>Phones listed by name at most; the totals count all.</summary>
    public const int ListedDevices = 50;

    public ItlResetView State { get; private set; } = null!;

    public ChangeImpact Plan { get; private set; } = null!;

    public string? Error { get; private set; }

    public string? Message { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(string? action, CancellationToken cancellationToken)
    {
        var actor = User.Identity?.Name ?? "unknown";
        try
        {
            var view = action == "end"
                ? await itlResets.EndItlResetAsync(actor, cancellationToken)
                : await itlResets.StartItlResetAsync("localkey", actor, cancellationToken);
            Message = (view.Active ? "Bulk ITL reset started: ITLs are signed by each TFTP node's CallManager." : "Bulk ITL reset ended: ITLs are signed by " + view.Signer + ".")
                + $" {view.ResetDevices.Count} phones asked to reset.";
        }
        catch (DomainException ex)
        {
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        State = await itlResets.GetItlResetAsync(cancellationToken);
        Plan = await planner.ImpactAsync([ProposedChange.ItlReset(State.Active ? "none" : "localkey")], ListedDevices, cancellationToken);
    }
}
