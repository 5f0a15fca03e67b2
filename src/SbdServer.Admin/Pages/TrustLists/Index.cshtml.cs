using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SbdServer.Core.CertificateManagement;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Errors;
using SbdServer.Core.Provisioning;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Names;
using SbdServer.Wire.Tlv;

namespace SbdServer.Admin.Pages.TrustLists;

/// <summary>
/// Each node's ITL (and CTL in mixed mode) exactly as its TFTP serves it, listed like CUCM's <c>show itl</c> with the
/// checksums phones report, and a download of the served bytes. In mixed mode also the CTL's stored set, whether a
/// certificate it lists was regenerated since, and the CTL update (<c>utils ctl update CTLFile</c>).
/// </summary>
public sealed class TrustListsModel(CertificateQueries queries, CtlUpdates ctl, GeneratedFileCatalogue files) : PageModel
{
    /// <summary>The trust lists a node serves, in the order phones fetch them.</summary>
    public static readonly string[] FileNames = [PhoneFileName.ClusterCtlName, PhoneFileName.ClusterItlName];

    /// <summary>One served file: its listing, or why it cannot be listed.</summary>
    public sealed record ServedList(string Node, string FileName, TrustListListing? Listing, string? Error);

    public IReadOnlyList<ServedList> Lists { get; private set; } = [];

    public CtlView Ctl { get; private set; } = null!;

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The CTL update, as <c>POST /api/ctl/update</c>.</summary>
    public async Task<IActionResult> OnPostUpdateCtlAsync(CancellationToken cancellationToken)
    {
        try
        {
            var view = await ctl.UpdateCtlAsync(User.Identity?.Name ?? "unknown", cancellationToken);
            Message = $"CTL updated: {view.Records.Count} records. Reset the phones so they take it.";
        }
        catch (DomainException ex)
        {
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Ctl = await ctl.GetCtlAsync(cancellationToken);
        var lists = new List<ServedList>();
        foreach (var node in await queries.GetNodesAsync(cancellationToken))
        {
            foreach (var name in FileNames)
            {
                // Null: this node serves no such file now (no CTL in non-secure mode).
                if (await files.GetAsync(name, node.Name, cancellationToken) is not { } file)
                {
                    continue;
                }

                try
                {
                    lists.Add(new ServedList(node.Name, name, TrustListListing.Of(file.Bytes, TrustListCodec.Parse(file.Bytes)), null));
                }
                catch (WireFormatException ex)
                {
                    lists.Add(new ServedList(node.Name, name, null, "The served file does not parse: " + ex.Message));
                }
            }
        }

        Lists = lists;
    }

    /// <summary>The served bytes of <paramref name="file"/> as <paramref name="node"/> builds them.</summary>
    public async Task<IActionResult> OnGetDownloadAsync(string? node, string? file, CancellationToken cancellationToken)
    {
        var name = FileNames.FirstOrDefault(f => string.Equals(f, file, StringComparison.OrdinalIgnoreCase));
        if (name is null || string.IsNullOrEmpty(node)
            || !(await queries.GetNodesAsync(cancellationToken)).Any(n => n.Name == node)
            || await files.GetAsync(name, node, cancellationToken) is not { } served)
        {
            return NotFound();
        }

        return File(served.Bytes, "application/octet-stream", node + "-" + name);
    }
}
