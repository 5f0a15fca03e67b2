using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SbdServer.Core.CertificateManagement;
using SbdServer.Core.Errors;

namespace SbdServer.Admin.Pages.Certificates;

/// <summary>Adds a PEM or DER certificate (a chain is fine) to a trust store, as the REST API's upload does.</summary>
public sealed class UploadModel(CertificateQueries queries, TrustStoreUploads trustStores) : PageModel
{
    /// <summary>Certificates are small; a chain of 16 in PEM stays far below this.</summary>
    private const int MaxUploadBytes = 256 * 1024;

    [BindProperty]
    public string? Store { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            return Fail("Choose a certificate file (PEM or DER).");
        }

        if (file.Length > MaxUploadBytes)
        {
            return Fail($"The file is larger than {MaxUploadBytes / 1024} KB; a certificate or chain is much smaller.");
        }

        using var copy = new MemoryStream();
        await file.CopyToAsync(copy, cancellationToken);
        try
        {
            var added = await trustStores.UploadTrustAsync(Store ?? "", copy.ToArray(), User.Identity?.Name ?? "unknown", cancellationToken);
            var first = added.Count > 0 ? added[0] : null;
            var node = (await queries.GetNodesAsync(cancellationToken)).FirstOrDefault(n => n.IsPublisher)?.Name ?? "";
            return first is null
                ? LocalRedirect("/admin/certificates")
                : LocalRedirect($"/admin/certificates/details?node={Uri.EscapeDataString(node)}&name={first.Sha256}&msg={Uri.EscapeDataString($"Uploaded {added.Count} certificate(s) to {first.Store}.")}");
        }
        catch (DomainException ex)
        {
            return Fail(ex.Message);
        }
    }

    private PageResult Fail(string message)
    {
        Error = message;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
