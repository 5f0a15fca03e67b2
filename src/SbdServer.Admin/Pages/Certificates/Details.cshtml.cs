using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SbdServer.Core.CertificateStore;

namespace SbdServer.Admin.Pages.Certificates;

/// <summary>One certificate: facts, fingerprints, PEM, downloads; delete for trust certificates. Never a key.</summary>
public sealed class CertificateDetailsModel(CertificateManager certificates) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Node { get; set; } = "";

    /// <summary>An identity certificate's name or a trust certificate's SHA-256.</summary>
    [BindProperty(SupportsGet = true)]
    public string Name { get; set; } = "";

    [BindProperty(SupportsGet = true, Name = "msg")]
    public string? Message { get; set; }

    public CertificateView Certificate { get; private set; } = null!;

    public string Pem { get; private set; } = "";

    public string DownloadUrl(string format) =>
        $"/admin/certificates/details?handler=Download&node={Uri.EscapeDataString(Node)}&name={Uri.EscapeDataString(Name)}&format={format}";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var found = await FindAsync(cancellationToken);
        if (found is null)
        {
            return NotFound();
        }

        Certificate = found;
        var der = await certificates.GetCertificateDerAsync(Node, Name, cancellationToken);
        Pem = new string(System.Security.Cryptography.PemEncoding.Write("CERTIFICATE", der));
        Message = Message is { Length: > 200 } ? null : Message;
        return Page();
    }

    public async Task<IActionResult> OnGetDownloadAsync(string? format, CancellationToken cancellationToken)
    {
        var found = await FindAsync(cancellationToken);
        if (found is null)
        {
            return NotFound();
        }

        var der = await certificates.GetCertificateDerAsync(Node, Name, cancellationToken);
        var file = CertificatesModel.IsIdentity(found) ? $"{Node}-{found.Name}" : $"{found.Store}-{found.Sha256[..16]}";
        return format == "der"
            ? File(der, "application/pkix-cert", file + ".der")
            : File(System.Text.Encoding.ASCII.GetBytes(new string(System.Security.Cryptography.PemEncoding.Write("CERTIFICATE", der)) + "\n"),
                "application/x-pem-file", file + ".pem");
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken cancellationToken)
    {
        var found = await FindAsync(cancellationToken);
        if (found is null || CertificatesModel.IsIdentity(found))
        {
            return NotFound();
        }

        await certificates.DeleteTrustAsync(found.Store, found.Sha256, User.Identity?.Name ?? "unknown", cancellationToken);
        return LocalRedirect("/admin/certificates?node=" + Uri.EscapeDataString(Node));
    }

    private async Task<CertificateView?> FindAsync(CancellationToken cancellationToken)
    {
        var nodes = await certificates.GetNodesAsync(cancellationToken);
        if (nodes.All(n => n.Name != Node))
        {
            return null;
        }

        var all = await certificates.GetCertificatesAsync(Node, cancellationToken);
        return all.FirstOrDefault(c => CertificatesModel.IsIdentity(c)
            ? string.Equals(c.Name, Name, StringComparison.OrdinalIgnoreCase)
            : string.Equals(c.Sha256, Name, StringComparison.OrdinalIgnoreCase));
    }
}
