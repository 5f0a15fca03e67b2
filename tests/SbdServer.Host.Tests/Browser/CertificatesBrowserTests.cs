using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Playwright;
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

    private static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/admin/signin");
        await page.GetByLabel("User name", new() { Exact = true }).FillAsync("admin");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(ApiFactory.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Exact = true }).WaitForAsync();
    }
}
