using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Playwright;
using SbdServer.Testing;
using Xunit;

namespace SbdServer.Host.Tests.Browser;

/// <summary>Issue 13 acceptance in Chromium: regenerate TVS (impact, then the new serial), download, upload, audit.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CertificatesBrowserTests(BrowserFixture browser, HttpsApiFactory node) : IClassFixture<HttpsApiFactory>
{
    [Fact]
    public async Task RegenerateTvs_ShowsTheImpact_ThenTheNewSerial_DownloadUploadAndAudit()
    {
        var (context, page, errors) = await browser.NewPageAsync(node.HttpsPort);
        await using var _ = context;
        await SignInAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Certificates", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Certificate Management" }).WaitForAsync();
        await page.GetByLabel("Search", new() { Exact = true }).FillAsync("TV");
        await page.GetByRole(AriaRole.Button, new() { Name = "Find", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Regenerate TVS", Exact = true }).WaitForAsync();
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "certificates");
        var oldSerial = await page.Locator("tbody tr td.mono").First.InnerTextAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Regenerate TVS", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Impact" }).WaitForAsync();
        Assert.Contains("phones keep trust", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "regenerate");
        await page.GetByRole(AriaRole.Button, new() { Name = "Regenerate", Exact = true }).ClickAsync();

        var status = page.GetByRole(AriaRole.Status);
        await status.WaitForAsync();
        var newSerial = await page.Locator("#serial").InnerTextAsync();
        Assert.NotEqual(oldSerial, newSerial);
        Assert.Contains("new serial " + newSerial, await status.InnerTextAsync(), StringComparison.Ordinal);
        await BrowserFixture.AssertAccessibleAsync(page);

        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Download .PEM File" }).ClickAsync());
        var pem = await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
        using (var downloaded = X509Certificate2.CreateFromPem(pem))
        {
            Assert.Equal(newSerial, downloaded.SerialNumber, ignoreCase: true);
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = new CertificateRequest("CN=Browser Test CA", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2));
        await page.GotoAsync("/admin/certificates/upload");
        await page.GetByLabel("Certificate Purpose").SelectOptionAsync("tomcat-trust");
        await page.GetByLabel("Upload File").SetInputFilesAsync(new FilePayload
        {
            Name = "ca.pem",
            MimeType = "application/x-pem-file",
            Buffer = System.Text.Encoding.ASCII.GetBytes(ca.ExportCertificatePem()),
        });
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Status).WaitForAsync();
        Assert.Contains("CN=Browser Test CA", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit Log", Exact = true }).ClickAsync();
        await page.GetByLabel("Search", new() { Exact = true }).FillAsync("TVS");
        await page.GetByRole(AriaRole.Button, new() { Name = "Find", Exact = true }).ClickAsync();
        var audit = await page.Locator("tbody").InnerTextAsync();
        Assert.Contains("regenerate", audit, StringComparison.OrdinalIgnoreCase);
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "audit");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task TvsCsr_KeptAcrossSignIns_DownloadedAgain_SignedByACa_AndUploadedBack_ReplacesTheCertificate()
    {
        var (context, page, errors) = await browser.NewPageAsync(node.HttpsPort);
        await using var _ = context;
        await SignInAsync(page);
        var ct = TestContext.Current.CancellationToken;

        await page.GotoAsync("/admin/certificates/details?node=cucm-pub&name=TVS");
        var oldSerial = await page.Locator("#serial").InnerTextAsync();
        await page.GetByLabel("Key Type and Length").SelectOptionAsync(new SelectOptionValue { Label = "RSA 3072" });
        await BrowserFixture.AssertAccessibleAsync(page);
        var generated = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Button, new() { Name = "Generate CSR", Exact = true }).ClickAsync());
        Assert.Equal("cucm-pub-TVS.csr", generated.SuggestedFilename);
        var generatedPem = await File.ReadAllTextAsync(await generated.PathAsync(), ct);

        // The admin closes the session; the CSR is still listed afterwards (Usage "CSR"), with its own page.
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).WaitForAsync();
        await SignInAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Certificates", Exact = true }).ClickAsync();
        await page.GetByLabel("Find certificates where").SelectOptionAsync("Usage");
        await page.GetByLabel("Search", new() { Exact = true }).FillAsync("CSR");
        await page.GetByRole(AriaRole.Button, new() { Name = "Find", Exact = true }).ClickAsync();
        var csrRow = page.Locator("tbody tr", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = "CSR TVS", Exact = true }) });
        await csrRow.WaitForAsync();
        var rowText = await csrRow.InnerTextAsync();
        Assert.Contains("RSA 3072", rowText, StringComparison.Ordinal);
        Assert.Contains("cucm-pub.lab.example", rowText, StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("tbody tr").CountAsync());
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "certificates-csr");

        await page.GetByRole(AriaRole.Link, new() { Name = "CSR TVS", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "CSR Details for cucm-pub, TVS" }).WaitForAsync();
        Assert.DoesNotContain("PRIVATE KEY", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "csr");
        var again = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Download CSR", Exact = true }).ClickAsync());
        Assert.Equal(generatedPem, await File.ReadAllTextAsync(await again.PathAsync(), ct));
        var csr = CertificateRequest.LoadSigningRequestPem(
            generatedPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions, RSASignaturePadding.Pkcs1);
        Assert.Contains("cucm-pub", csr.SubjectName.Name, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3072, csr.PublicKey.GetRSAPublicKey()!.KeySize);

        // The lab CA signs it; its root goes into TVS-trust first, as on CUCM. (TVS, not tomcat: replacing the
        // certificate of the HTTPS listener under the browser would cancel the other test's download.)
        using var ca = TestPki.CertificateAuthority("CN=Browser CSR Test CA");
        await page.GotoAsync("/admin/certificates/upload");
        await page.GetByLabel("Certificate Purpose").SelectOptionAsync("TVS-trust");
        await page.GetByLabel("Upload File").SetInputFilesAsync(new FilePayload
        {
            Name = "ca.pem",
            MimeType = "application/x-pem-file",
            Buffer = System.Text.Encoding.ASCII.GetBytes(ca.ExportCertificatePem()),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Status).WaitForAsync();

        await page.GotoAsync("/admin/certificates/details?node=cucm-pub&name=TVS");
        await page.GetByRole(AriaRole.Heading, new() { Name = "Pending CSR" }).WaitForAsync();
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "certificate-csr");

        // Refused: a certificate for neither the CSR's key nor the current one. The message says why and nothing changes.
        await UploadSignedAsync(page, ca.ExportCertificatePem());
        await page.GetByRole(AriaRole.Alert).WaitForAsync();
        Assert.Contains("issued for another key", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(oldSerial, await page.Locator("#serial").InnerTextAsync());
        Assert.Equal(1, await page.GetByRole(AriaRole.Link, new() { Name = "Download CSR", Exact = true }).CountAsync());
        ExpectRefusalOnly(errors, "handler=Signed");

        // First byte 0x10-0x7F: a positive serial with no leading zero byte or nibble, so both sides print it alike.
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] = (byte)((serial[0] & 0x6F) | 0x10);
        using var issued = csr.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(2), serial);
        await UploadSignedAsync(page, issued.ExportCertificatePem() + "\n" + ca.ExportCertificatePem());
        var status = page.GetByRole(AriaRole.Status);
        await status.WaitForAsync();
        Assert.Contains("CA-signed certificate accepted", await status.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(issued.SerialNumber, await page.Locator("#serial").InnerTextAsync(), ignoreCase: true);
        Assert.Contains("CN=Browser CSR Test CA", await page.Locator("dl.facts").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByRole(AriaRole.Heading, new() { Name = "Pending CSR" }).CountAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Download CSR", Exact = true }).CountAsync());
        await page.GotoAsync("/admin/certificates?node=cucm-pub&field=Usage&match=begins&q=CSR");
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "CSR TVS", Exact = true }).CountAsync());
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task PendingCsr_DeletedFromItsPage_IsGone_AndTheCertificateStays()
    {
        var (context, page, errors) = await browser.NewPageAsync(node.HttpsPort);
        await using var _ = context;
        await SignInAsync(page);
        await page.GotoAsync("/admin/certificates/details?node=cucm-pub&name=CAPF");
        var serial = await page.Locator("#serial").InnerTextAsync();
        await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Button, new() { Name = "Generate CSR", Exact = true }).ClickAsync());
        await page.GotoAsync("/admin/certificates/csr?node=cucm-pub&name=CAPF");

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete CSR", Exact = true }).ClickAsync();

        var status = page.GetByRole(AriaRole.Status);
        await status.WaitForAsync();
        Assert.Contains("pending CSR of CAPF was deleted", await status.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(serial, await page.Locator("#serial").InnerTextAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Heading, new() { Name = "Pending CSR" }).CountAsync());
        await BrowserFixture.AssertAccessibleAsync(page);
        var gone = await page.APIRequest.GetAsync("/admin/certificates/csr?node=cucm-pub&name=CAPF");
        Assert.Equal(404, gone.Status);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    /// <summary>A refused form answers 400, which Chromium logs as a console error: that one is expected, nothing else.</summary>
    internal static void ExpectRefusalOnly(List<string> errors, string url)
    {
        Assert.All(errors, e => Assert.True(e.Contains("status of 400", StringComparison.Ordinal) && e.Contains(url, StringComparison.Ordinal), e));
        errors.Clear();
    }

    private static async Task UploadSignedAsync(IPage page, string pem)
    {
        await page.GetByLabel("CA-signed certificate or chain (PEM or DER)").SetInputFilesAsync(new FilePayload
        {
            Name = "tvs.pem",
            MimeType = "application/x-pem-file",
            Buffer = System.Text.Encoding.ASCII.GetBytes(pem),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload CA-signed certificate", Exact = true }).ClickAsync();
        await page.WaitForLoadStateAsync();
    }

    internal static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/admin/signin");
        await page.GetByLabel("User name", new() { Exact = true }).FillAsync("admin");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(ApiFactory.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Exact = true }).WaitForAsync();
    }
}
