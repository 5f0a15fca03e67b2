using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Xunit;

namespace SbdServer.Host.Tests.Browser;

/// <summary>
/// Issue 13 acceptance in Chromium: Backup (download) and Restore (upload), both asking for the security password;
/// a restore shows the archive's content first; wrong password, damaged and oversized uploads change nothing.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BackupBrowserTests(BrowserFixture browser, HttpsApiFactory node) : IClassFixture<HttpsApiFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Backup_ThenRestore_ShowsTheContentFirst_AndAWrongPasswordOrADamagedFileChangesNothing()
    {
        using var admin = node.Admin();
        var (context, page, errors) = await browser.NewPageAsync(node.HttpsPort);
        await using var _ = context;
        await BrowserSignIn.AsAsync(page, "admin", ApiFactory.AdminPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "Backup", Exact = true }).ClickAsync();
        var backup = page.GetByRole(AriaRole.Region, new() { Name = "Backup" });
        var restore = page.GetByRole(AriaRole.Region, new() { Name = "Restore" });
        await backup.WaitForAsync();
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "backup");

        await backup.GetByLabel("Security password").FillAsync("not the password");
        await backup.GetByRole(AriaRole.Button, new() { Name = "Download backup" }).ClickAsync();
        Assert.Contains("security password is wrong", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);

        await backup.GetByLabel("Security password").FillAsync(ApiFactory.SecurityPassword);
        var download = await page.RunAndWaitForDownloadAsync(() =>
            backup.GetByRole(AriaRole.Button, new() { Name = "Download backup" }).ClickAsync());
        Assert.EndsWith(".sbdbak", download.SuggestedFilename, StringComparison.Ordinal);
        var archive = await File.ReadAllBytesAsync(await download.PathAsync(), Ct);

        // A change after the backup, which the restore must undo.
        using (var set = await admin.PutAsJsonAsync("/api/parameters/AutoRegistration", new { value = "True" }, Ct))
        {
            Assert.True(set.IsSuccessStatusCode, await set.Content.ReadAsStringAsync(Ct));
        }

        await UploadAsync(page, restore, archive, "not the password");
        Assert.Contains("security password is wrong; nothing was restored", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
        var damaged = archive.ToArray();
        damaged[damaged.Length / 2] ^= 0x5A;
        await UploadAsync(page, restore, damaged, ApiFactory.SecurityPassword);
        Assert.Contains("truncated or damaged", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
        await BrowserFixture.AssertAccessibleAsync(page);
        Assert.Equal("True", await ParameterAsync(admin, "AutoRegistration"));

        await UploadAsync(page, restore, archive, ApiFactory.SecurityPassword);
        await page.GetByRole(AriaRole.Heading, new() { Name = "Restore this backup?" }).WaitForAsync();
        var content = await page.Locator("main").InnerTextAsync();
        Assert.Contains("cucm-pub (publisher)", content, StringComparison.Ordinal);
        Assert.Matches("Identity certificates\\s+[1-9]", content);
        Assert.Equal("True", await ParameterAsync(admin, "AutoRegistration")); // shown, not applied
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "restore");

        await page.GetByRole(AriaRole.Button, new() { Name = "Restore", Exact = true }).ClickAsync();
        Assert.Contains("The backup was restored", await page.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("False", await ParameterAsync(admin, "AutoRegistration"));

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit Log", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Audit Log" }).WaitForAsync();

        // Newest first, down to the backup: the restore and the two refused attempts of this test, which the restore
        // keeps although the archive predates them.
        var rows = await page.Locator("tbody tr").AllInnerTextsAsync();
        var sinceBackup = rows.TakeWhile(r => !r.Contains("backup.create", StringComparison.Ordinal)).ToList();
        Assert.True(sinceBackup.Count < rows.Count, "the backup's own entry is listed");
        Assert.Contains(sinceBackup, r => r.Contains("backup.restore", StringComparison.Ordinal));
        Assert.Equal(2, sinceBackup.Count(r => r.Contains("restore.refused", StringComparison.Ordinal)));
        // The refusals above answer 400 on purpose, which Chromium logs; anything else is a real console error.
        errors.RemoveAll(e => e.StartsWith("Failed to load resource: the server responded with a status of 400", StringComparison.Ordinal)
            && e.Contains("/admin/backup?handler=", StringComparison.Ordinal));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task AnOversizedUpload_GetsAClearMessage_AndNothingIsRestored()
    {
        using var session = new AdminSession(node.HttpsPort);
        using (await session.SignInAsync("admin", ApiFactory.AdminPassword))
        {
        }

        var token = await session.FormTokenAsync("/admin/backup");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(ApiFactory.SecurityPassword), "Password" },
            { new ByteArrayContent(new byte[Core.Backup.BackupService.MaxArchiveBytes + 1]), "Archive", "big.sbdbak" },
        };
        using var response = await session.Http.PostAsync("/admin/backup?handler=Inspect", form, Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("a backup archive is at most", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        using var restore = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Upload"] = "0123456789abcdef0123456789abcdef",
        });
        using var guessed = await session.Http.PostAsync("/admin/backup?handler=Restore", restore, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, guessed.StatusCode);
        Assert.Contains("expired or was replaced", await guessed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    private static async Task UploadAsync(IPage page, ILocator restore, byte[] archive, string password)
    {
        await page.GotoAsync("/admin/backup");
        await restore.GetByLabel("Backup archive").SetInputFilesAsync(new FilePayload
        {
            Name = "cluster.sbdbak",
            MimeType = "application/octet-stream",
            Buffer = archive,
        });
        await restore.GetByLabel("Security password").FillAsync(password);
        await restore.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await page.WaitForLoadStateAsync();
    }

    private static async Task<string> ParameterAsync(HttpClient admin, string name) =>
        (await admin.GetFromJsonAsync<Dictionary<string, string>>("/api/parameters/" + name, Ct))!["value"];
}
