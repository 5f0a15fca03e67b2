using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SbdServer.Core.CertificateManagement;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Errors;

namespace SbdServer.Admin.Pages.Certificates;

/// <summary>
/// A pending CSR's own page (CUCM lists it with Usage "CSR"): what it asks for, its PEM, Download CSR and delete; the
/// CA-signed certificate for it is uploaded on the certificate's details page. Its key is never shown.
/// </summary>
public sealed class CsrModel(CertificateSigningRequests signingRequests) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Node { get; set; } = "";

    /// <summary>The identity certificate the CSR is for.</summary>
    [BindProperty(SupportsGet = true)]
    public string Name { get; set; } = "";

    public PendingCsrView Csr { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            var found = await signingRequests.FindPendingAsync(Node, Name, cancellationToken);
            if (found is null)
            {
                return NotFound();
            }

            Csr = found;
            return Page();
        }
        catch (DomainException ex) when (ex is NotFoundException or InvalidInputException)
        {
            return NotFound();
        }
    }
}
