namespace SbdServer.Admin.Pages.Certificates;

/// <summary>Where a pending CSR is shown, downloaded and deleted; the list, the CSR page and the details page share them.</summary>
public static class CsrUrls
{
    public static string Details(string node, string name) =>
        $"/admin/certificates/csr?node={Uri.EscapeDataString(node)}&name={Uri.EscapeDataString(name)}";

    public static string Download(string node, string name) =>
        $"/admin/certificates/details?handler=CsrFile&node={Uri.EscapeDataString(node)}&name={Uri.EscapeDataString(name)}";
}
