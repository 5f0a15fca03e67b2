using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit;

namespace SbdServer.Host.Tests.Browser;

/// <summary>
/// Scenario 20 on the Trust Lists page in Chromium: in mixed mode the CTL section says the CTL is out of date after a
/// CallManager regeneration, and its button runs the CTL update (<c>utils ctl update CTLFile</c>).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CtlBrowserTests(BrowserFixture browser, HttpsApiFactory node) : IClassFixture<HttpsApiFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MixedMode_AfterARegeneration_TheCtlIsOutOfDate_AndTheButtonUpdatesIt()
    {
        using var admin = node.Admin();
        using (var mixed = await admin.PutAsJsonAsync("/api/parameters/ClusterSecurityMode", new { value = "Mixed" }, Ct))
        {
            Assert.True(mixed.IsSuccessStatusCode, await mixed.Content.ReadAsStringAsync(Ct));
        }

        using (var regenerated = await admin.PostAsync("/api/nodes/cucm-pub/certificates/CallManager/regenerate?confirm=true", null, Ct))
        {
            Assert.True(regenerated.IsSuccessStatusCode, await regenerated.Content.ReadAsStringAsync(Ct));
        }

        var (context, page, errors) = await browser.NewPageAsync(node.HttpsPort);
        await using var _ = context;
        await BrowserSignIn.AsAsync(page, "admin", ApiFactory.AdminPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "Trust Lists", Exact = true }).ClickAsync();
        var ctl = page.GetByRole(AriaRole.Region, new() { Name = "CTL", Exact = true });
        await ctl.WaitForAsync();

        var stale = await ctl.InnerTextAsync();
        Assert.Contains("The CTL is out of date:", stale, StringComparison.Ordinal);
        Assert.Contains("CallManager of cucm-pub (CCM+TFTP) was regenerated", stale, StringComparison.Ordinal);
        Assert.Equal(1, await page.GetByRole(AriaRole.Region, new() { Name = "cucm-pub: CTLFile.tlv" }).CountAsync());
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "trust-lists-ctl-stale");

        await ctl.GetByRole(AriaRole.Button, new() { Name = "Update the CTL", Exact = true }).ClickAsync();
        var status = page.GetByRole(AriaRole.Status);
        await status.WaitForAsync();
        Assert.StartsWith("CTL updated:", await status.InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("out of date", await page.GetByRole(AriaRole.Region, new() { Name = "CTL", Exact = true }).InnerTextAsync(), StringComparison.Ordinal);
        await BrowserFixture.AssertAccessibleAsync(page);

        var stored = await admin.GetFromJsonAsync<JsonElement>("/api/ctl", Ct);
        Assert.False(stored.GetProperty("stale").GetBoolean());
        var audit = await admin.GetStringAsync("/api/audit?max=5", Ct);
        Assert.Contains("ctl.update", audit, StringComparison.Ordinal);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
