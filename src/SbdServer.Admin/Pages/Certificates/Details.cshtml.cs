using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SbdServer.Core.CertificateManagement;
using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Errors;
using SbdServer.Core.Impact;

namespace SbdServer.Admin.Pages.Certificates;

/// <summary>
/// One certificate: facts, fingerprints, PEM, downloads; Generate CSR and upload the CA-signed certificate for
/// identity certificates; delete for trust certificates. Never a key.
/// </summary>
public sealed class CertificateDetailsModel(CertificateQueries queries, CertificateSigningRequests signingRequests, TrustStoreUploads trustStores) : PageModel
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

    /// <summary>Identity certificates a CA may sign (CUCM: CallManager, tomcat, CAPF, TVS); the others are self-signed only.</summary>
    public static readonly string[] CsrCertificates =
        [CertificateStores.CallManager, CertificateStores.Tomcat, CertificateStores.Capf, CertificateStores.Tvs];

    public bool CanHaveCsr => CertificatesModel.IsIdentity(Certificate) && CsrCertificates.Contains(Certificate.Name);

    /// <summary>The CSR waiting for its CA-signed certificate, when one is.</summary>
    public PendingCsrView? PendingCsr { get; private set; }

    public string CsrDownloadUrl => CsrUrls.Download(Node, Name);

    public string? Error { get; private set; }

    /// <summary>Set when an accepted CA-signed certificate would lock phones out: the form then asks for the node name.</summary>
    public ImpactReport? LockingImpact { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Message = Message is { Length: > 200 } ? null : Message;
        return await LoadAsync(cancellationToken) ? Page() : NotFound();
    }

    /// <summary>Generate CSR: a new key kept sealed and pending, the PKCS#10 request downloaded; the current certificate stays.</summary>
    public async Task<IActionResult> OnPostCsrAsync(string? key, CancellationToken cancellationToken)
    {
        KeyAlgorithm? algorithm = RegenerateModel.KeyChoices.Any(c => c.Value.Length > 0 && c.Value == key) ? Enum.Parse<KeyAlgorithm>(key!) : null;
        try
        {
            var csr = await signingRequests.CreateCsrAsync(Node, Name, algorithm, User.Identity?.Name ?? "unknown", cancellationToken);
            var pem = new string(System.Security.Cryptography.PemEncoding.Write("CERTIFICATE REQUEST", csr)) + "\n";
            return File(System.Text.Encoding.ASCII.GetBytes(pem), "application/pkcs10", $"{Node}-{Name}.csr");
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (DomainException ex)
        {
            return await FailAsync(ex.Message, cancellationToken);
        }
    }

    /// <summary>Download CSR: the pending request again, as often as needed, until it is signed or deleted.</summary>
    public async Task<IActionResult> OnGetCsrFileAsync(CancellationToken cancellationToken)
    {
        try
        {
            var pending = await signingRequests.GetPendingAsync(Node, Name, cancellationToken);
            return File(System.Text.Encoding.ASCII.GetBytes(pending.Pem), "application/pkcs10", $"{pending.Node}-{pending.Name}.csr");
        }
        catch (DomainException ex) when (ex is NotFoundException or InvalidInputException)
        {
            return NotFound();
        }
    }

    /// <summary>Deletes the pending CSR and its key; the current certificate stays.</summary>
    public async Task<IActionResult> OnPostDeleteCsrAsync(CancellationToken cancellationToken)
    {
        try
        {
            await signingRequests.DeletePendingAsync(Node, Name, User.Identity?.Name ?? "unknown", cancellationToken);
        }
        catch (NotFoundException)
        {
            return await FailAsync($"{Name} of {Node} has no pending CSR (it was signed or deleted meanwhile).", cancellationToken, StatusCodes.Status404NotFound);
        }
        catch (DomainException ex)
        {
            return await FailAsync(ex.Message, cancellationToken);
        }

        var message = $"The pending CSR of {Name} was deleted; its key is gone and the current certificate stays.";
        return LocalRedirect(
            $"/admin/certificates/details?node={Uri.EscapeDataString(Node)}&name={Uri.EscapeDataString(Name)}&msg={Uri.EscapeDataString(message)}");
    }

    /// <summary>Upload the CA-signed certificate (PEM, chain allowed, or DER) for the pending CSR; refusals change nothing.</summary>
    public async Task<IActionResult> OnPostSignedAsync(IFormFile? file, string? confirmNode, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            return await FailAsync("Choose the CA-signed certificate file (PEM, optionally with its chain, or DER).", cancellationToken);
        }

        if (file.Length > ICertificateCodec.MaxInputBytes)
        {
            return await FailAsync($"The file is {file.Length} bytes; a certificate chain is at most {ICertificateCodec.MaxInputBytes}.", cancellationToken);
        }

        using var copy = new MemoryStream();
        await file.CopyToAsync(copy, cancellationToken);
        var confirmed = string.Equals(confirmNode?.Trim(), Node, StringComparison.Ordinal);
        try
        {
            var report = await signingRequests.AcceptSignedAsync(Node, Name, copy.ToArray(), confirmed, User.Identity?.Name ?? "unknown", cancellationToken);
            var view = (await queries.GetCertificatesAsync(Node, cancellationToken)).First(c => c.Name == c.Store && c.Name == Name);
            var message = $"CA-signed certificate accepted for {Name}: serial {view.SerialNumber}, issuer {view.Issuer}; {report.ResetDevices.Count} phones asked to reset.";
            return LocalRedirect(
                $"/admin/certificates/details?node={Uri.EscapeDataString(Node)}&name={Uri.EscapeDataString(Name)}&msg={Uri.EscapeDataString(message)}");
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ConfirmationRequiredException ex)
        {
            LockingImpact = ex.Report;
            return await FailAsync(
                string.IsNullOrEmpty(confirmNode)
                    ? $"This certificate locks {ex.Report.Lost} phones out: type the node name and upload it again to confirm."
                    : $"The node name does not match '{Node}'; nothing was changed.",
                cancellationToken, StatusCodes.Status409Conflict);
        }
        catch (DomainException ex)
        {
            return await FailAsync(ex.Message, cancellationToken);
        }
    }

    private async Task<IActionResult> FailAsync(string message, CancellationToken cancellationToken, int status = StatusCodes.Status400BadRequest)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        Error = message;
        Response.StatusCode = status;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var found = await FindAsync(cancellationToken);
        if (found is null)
        {
            return false;
        }

        Certificate = found;
        PendingCsr = CanHaveCsr ? await signingRequests.FindPendingAsync(Node, found.Name, cancellationToken) : null;
        var der = await queries.GetCertificateDerAsync(Node, Name, cancellationToken);
        Pem = new string(System.Security.Cryptography.PemEncoding.Write("CERTIFICATE", der));
        return true;
    }

    public async Task<IActionResult> OnGetDownloadAsync(string? format, CancellationToken cancellationToken)
    {
        var found = await FindAsync(cancellationToken);
        if (found is null)
        {
            return NotFound();
        }

        var der = await queries.GetCertificateDerAsync(Node, Name, cancellationToken);
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

        await trustStores.DeleteTrustAsync(found.Store, found.Sha256, User.Identity?.Name ?? "unknown", cancellationToken);
        return LocalRedirect("/admin/certificates?node=" + Uri.EscapeDataString(Node));
    }

    private async Task<CertificateView?> FindAsync(CancellationToken cancellationToken)
    {
        var nodes = await queries.GetNodesAsync(cancellationToken);
        if (nodes.All(n => n.Name != Node))
        {
            return null;
        }

        var all = await queries.GetCertificatesAsync(Node, cancellationToken);
        return all.FirstOrDefault(c => CertificatesModel.IsIdentity(c)
            ? string.Equals(c.Name, Name, StringComparison.OrdinalIgnoreCase)
            : string.Equals(c.Sha256, Name, StringComparison.OrdinalIgnoreCase));
    }
}
