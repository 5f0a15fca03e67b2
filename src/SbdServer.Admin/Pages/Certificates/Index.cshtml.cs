using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SbdServer.Core.CertificateManagement;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Nodes;

namespace SbdServer.Admin.Pages.Certificates;

/// <summary>CUCM's Certificate Management list: a node's identity certificates and the trust stores, with Find.</summary>
public sealed class CertificatesModel(CertificateQueries queries) : PageModel
{
    public static readonly string[] Fields = ["Certificate", "Common Name", "Usage"];

    [BindProperty(SupportsGet = true)]
    public string Node { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string Field { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string Match { get; set; } = "";

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    public IReadOnlyList<ClusterNode> Nodes { get; private set; } = [];

    public IReadOnlyList<CertificateView> Rows { get; private set; } = [];

    /// <summary>The table: each certificate, with a pending CSR right after the identity certificate it is for.</summary>
    public IReadOnlyList<ListRow> Items { get; private set; } = [];

    public int PendingCsrCount => Items.Count(i => i.Csr is not null);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        // One read of the state for the node choice and the list.
        var everyNode = await queries.GetAllCertificatesAsync(cancellationToken);
        Nodes = [.. everyNode.Select(n => n.Node)];
        var node = Nodes.FirstOrDefault(n => n.Name == Node) ?? Nodes.FirstOrDefault(n => n.IsPublisher) ?? (Nodes.Count > 0 ? Nodes[0] : null);
        if (node is null)
        {
            return NotFound();
        }

        Node = node.Name;
        Field = Fields.Contains(Field) ? Field : Fields[0];
        Match = Match == "contains" ? "contains" : "begins";
        Query = Query?.Trim() is { Length: > 0 } q ? (q.Length > 128 ? q[..128] : q) : null;
        var listed = everyNode.First(n => n.Node == node);
        var all = listed.Certificates;
        Rows = Query is null ? all : [.. all.Where(c => Matches(FieldValue(c, Field), Query, Match))];
        var items = new List<ListRow>();
        foreach (var certificate in all)
        {
            if (Query is null || Matches(FieldValue(certificate, Field), Query, Match))
            {
                items.Add(new ListRow(certificate, null));
            }

            if (IsIdentity(certificate) && listed.PendingCsrs.FirstOrDefault(c => c.Name == certificate.Name) is { } csr
                && (Query is null || Matches(FieldValue(csr, Field), Query, Match)))
            {
                items.Add(new ListRow(null, csr));
            }
        }

        Items = items;
        return Page();
    }

    public static bool IsIdentity(CertificateView certificate) => certificate.Name == certificate.Store;

    public static string CommonName(string subject) =>
        subject.Split(';', ',').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("CN=", StringComparison.Ordinal))?[3..] ?? subject;

    /// <summary>Identity certificates by name, trust certificates by SHA-256 (a store holds several).</summary>
    public static string DetailsUrl(string node, CertificateView certificate) =>
        $"/admin/certificates/details?node={Uri.EscapeDataString(node)}&name={Uri.EscapeDataString(IsIdentity(certificate) ? certificate.Name : certificate.Sha256)}";

    private static string FieldValue(CertificateView certificate, string field) => field switch
    {
        "Common Name" => CommonName(certificate.Subject),
        "Usage" => IsIdentity(certificate) ? "identity" : "trust",
        _ => certificate.Store,
    };

    private static string FieldValue(PendingCsrView csr, string field) => field switch
    {
        "Common Name" => CommonName(csr.Facts.Subject),
        "Usage" => "CSR",
        _ => csr.Name,
    };

    private static bool Matches(string value, string query, string match) => match == "contains"
        ? value.Contains(query, StringComparison.OrdinalIgnoreCase)
        : value.StartsWith(query, StringComparison.OrdinalIgnoreCase);
}

/// <summary>One row of the Certificate Management list: a certificate or a pending CSR.</summary>
public sealed record ListRow(CertificateView? Certificate, PendingCsrView? Csr);
