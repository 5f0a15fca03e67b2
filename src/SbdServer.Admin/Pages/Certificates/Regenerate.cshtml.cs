using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SbdServer.Core.CertificateManagement;
using SbdServer.Core.Certificates;
using SbdServer.Core.Errors;
using SbdServer.Core.Impact;

namespace SbdServer.Admin.Pages.Certificates;

/// <summary>
/// Regenerate an identity certificate: the change planner's impact first, then the click; a change that locks phones
/// needs the node name typed (the REST API's confirm=true).
/// </summary>
public sealed class RegenerateModel(CertificateQueries queries, CertificateRegeneration regeneration) : PageModel
{
    /// <summary>CUCM's choices (RSA 2048-4096, EC 256/384/521).</summary>
    public static readonly (string Value, string Text)[] KeyChoices =
    [
        ("", "Keep the current key type"),
        (nameof(KeyAlgorithm.Rsa2048), "RSA 2048"),
        (nameof(KeyAlgorithm.Rsa3072), "RSA 3072"),
        (nameof(KeyAlgorithm.Rsa4096), "RSA 4096"),
        (nameof(KeyAlgorithm.EcP256), "EC 256"),
        (nameof(KeyAlgorithm.EcP384), "EC 384"),
        (nameof(KeyAlgorithm.EcP521), "EC 521"),
    ];

    [BindProperty(SupportsGet = true)]
    public string Node { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string Name { get; set; } = "";

    [BindProperty]
    public string? Key { get; set; }

    [BindProperty]
    public string? ConfirmNode { get; set; }

    /// <summary>Phones listed by name at most; the totals count all.</summary>
    public const int ListedDevices = 50;

    public ChangeImpact Impact { get; private set; } = null!;

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            Impact = await regeneration.PreviewImpactAsync(Node, Name, null, ListedDevices, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        KeyAlgorithm? key = KeyChoices.Any(c => c.Value.Length > 0 && c.Value == Key) ? Enum.Parse<KeyAlgorithm>(Key!) : null;
        var confirmed = string.Equals(ConfirmNode?.Trim(), Node, StringComparison.Ordinal);
        try
        {
            var report = await regeneration.RegenerateAsync(Node, Name, key, confirmed, User.Identity?.Name ?? "unknown", cancellationToken);
            var view = (await queries.GetCertificatesAsync(Node, cancellationToken)).First(c => c.Name == c.Store && c.Name == Name);
            var message = $"{Name} regenerated: new serial {view.SerialNumber}; {report.ResetDevices.Count} phones asked to reset.";
            return LocalRedirect(
                $"/admin/certificates/details?node={Uri.EscapeDataString(Node)}&name={Uri.EscapeDataString(Name)}&msg={Uri.EscapeDataString(message)}");
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ConfirmationRequiredException ex)
        {
            Impact = ChangeImpact.Of(ex.Report, ListedDevices);
            Error = string.IsNullOrEmpty(ConfirmNode)
                ? "This change locks phones out: type the node name to confirm it."
                : $"The node name does not match '{Node}'; nothing was changed.";
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
        catch (DomainException ex)
        {
            Impact = await regeneration.PreviewImpactAsync(Node, Name, key, ListedDevices, cancellationToken);
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
    }
}
