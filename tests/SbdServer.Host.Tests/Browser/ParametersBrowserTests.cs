using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SbdServer.Tftp.Http;
using Xunit;

namespace SbdServer.Host.Tests.Browser;

/// <summary>
/// Issue 13 acceptance in Chromium: Enterprise Parameters (rollback to pre 8.0 changes the ITL served on HTTP 6970,
/// after the impact page) and Reset (all devices).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ParametersBrowserTests(BrowserFixture browser, HttpsApiFactory node) : IClassFixture<HttpsApiFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rollback_ShowsTheImpact_ThenTheServedItlChanges_AndResetMarksEveryDevice()
    {
        using var admin = node.Admin();
        using (var created = await admin.PostAsJsonAsync("/api/devices", new { name = "SEP00AA00BB0001", model = "8861" }, Ct))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(Ct));
        }

        var before = await ServedItlAsync();
        var (context, page, errors) = await browser.NewPageAsync(node.HttpsPort);
        await using var _ = context;
        await BrowserSignIn.AsAsync(page, "admin", ApiFactory.AdminPassword);

        await page.GetByRole(AriaRole.Link, new() { Name = "Enterprise Parameters", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Enterprise Parameters Configuration" }).WaitForAsync();
        var rollback = page.GetByLabel("Prepare Cluster for Rollback to pre 8.0", new() { Exact = true });
        Assert.Equal("False", await rollback.InputValueAsync());
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "parameters");

        await rollback.SelectOptionAsync("True");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Impact" }).WaitForAsync();
        var impact = await page.Locator("main").InnerTextAsync();
        Assert.Contains("Prepare Cluster for Rollback to pre 8.0: False → True", impact, StringComparison.Ordinal);
        Assert.Contains("phones keep trust", impact, StringComparison.Ordinal);
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "parameters-impact");
        Assert.Equal(before, await ServedItlAsync()); // nothing applied before the click

        if (await page.GetByLabel("Node name", new() { Exact = true }).CountAsync() > 0)
        {
            await page.GetByLabel("Node name", new() { Exact = true }).FillAsync("cucm-pub");
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Apply", Exact = true }).ClickAsync();
        var status = page.GetByRole(AriaRole.Status);
        await status.WaitForAsync();
        Assert.Contains("Prepare Cluster for Rollback to pre 8.0 = True", await status.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("True", await page.GetByLabel("Prepare Cluster for Rollback to pre 8.0", new() { Exact = true }).InputValueAsync());
        var after = await ServedItlAsync();
        Assert.NotEqual(before, after);
        Assert.Equal("True", (await admin.GetFromJsonAsync<Dictionary<string, string>>("/api/parameters/PrepareClusterForRollbackToPre80", Ct))!["value"]);

        await page.GetByRole(AriaRole.Button, new() { Name = "Reset", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Reset all devices" }).WaitForAsync();
        Assert.Contains("all 1 devices", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Reset all devices", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Status).WaitForAsync();
        Assert.Contains("Reset requested for 1 devices", await page.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        var reset = await admin.GetFromJsonAsync<Dictionary<string, object>>("/api/devices/SEP00AA00BB0001/reset", Ct);
        Assert.Equal("True", reset!["resetPending"].ToString(), ignoreCase: true);

        // Put it back for the other tests of the class' node, through the same pages.
        await page.GetByLabel("Prepare Cluster for Rollback to pre 8.0", new() { Exact = true }).SelectOptionAsync("False");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Status).WaitForAsync();
        Assert.NotEqual(after, await ServedItlAsync()); // signed anew (own timestamp): not the rollback ITL any more
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task ABadValue_IsRefusedWithAMessage_AndAPostWithoutAntiforgeryIs400()
    {
        using var session = new AdminSession(node.HttpsPort);
        using (var signedIn = await session.SignInAsync("admin", ApiFactory.AdminPassword))
        {
            Assert.Equal(System.Net.HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        var token = await session.FormTokenAsync("/admin/parameters");
        using var bad = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Values[SecuredDirectoryUrl]"] = "http://not-https.example/dir",
        });
        using var refused = await session.Http.PostAsync("/admin/parameters?handler=Preview", bad, Ct);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains("is not allowed; use an https:// URL", html, StringComparison.Ordinal);

        using var noToken = new FormUrlEncodedContent(new Dictionary<string, string> { ["Values[AutoRegistration]"] = "True" });
        using var forged = await session.Http.PostAsync("/admin/parameters?handler=Apply", noToken, Ct);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, forged.StatusCode);
        using var admin = node.Admin();
        Assert.Equal("False", (await admin.GetFromJsonAsync<Dictionary<string, string>>("/api/parameters/AutoRegistration", Ct))!["value"]);
    }

    [Fact]
    public async Task AUrlOnlySave_PreviewsWithoutAPlannerRun_Applies_AndAClearedFieldSetsItEmpty()
    {
        using var session = new AdminSession(node.HttpsPort);
        using (var signedIn = await session.SignInAsync("admin", ApiFactory.AdminPassword))
        {
            Assert.Equal(System.Net.HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        // Secured Messages URL is empty by default: the test ends with the value it found.
        using var admin = node.Admin();
        const string url = "https://messages.lab.example/messages";
        foreach (var value in new[] { url, "" })
        {
            var token = await session.FormTokenAsync("/admin/parameters");
            using var preview = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["Values[SecuredMessagesUrl]"] = value,
            });
            using var impact = await session.Http.PostAsync("/admin/parameters?handler=Preview", preview, Ct);
            var html = await impact.Content.ReadAsStringAsync(Ct);
            Assert.True(impact.StatusCode == System.Net.HttpStatusCode.OK, $"{impact.StatusCode}: {html}");
            Assert.Contains("None of these parameters changes an ITL: no phone is affected.", html, StringComparison.Ordinal);

            using var apply = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["Values[SecuredMessagesUrl]"] = value,
            });
            using var applied = await session.Http.PostAsync("/admin/parameters?handler=Apply", apply, Ct);
            Assert.Equal(System.Net.HttpStatusCode.Redirect, applied.StatusCode);
            Assert.Equal(value, (await admin.GetFromJsonAsync<Dictionary<string, string>>("/api/parameters/SecuredMessagesUrl", Ct))!["value"]);
        }
    }

    private async Task<string> ServedItlAsync()
    {
        var port = node.Services.GetRequiredService<TftpHttpService>().LocalEndPoint!.Port;
        using var http = new HttpClient();
        var bytes = await http.GetByteArrayAsync($"http://127.0.0.1:{port}/ITLFile.tlv", Ct);
        return Convert.ToHexString(SHA256.HashData(bytes));
    }
}
