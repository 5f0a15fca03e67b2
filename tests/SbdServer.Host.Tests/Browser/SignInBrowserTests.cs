using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit;

namespace SbdServer.Host.Tests.Browser;

/// <summary>Issue 13 acceptance in Chromium: sign in, the dashboard, sign out; accessible names, axe, no console errors.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class SignInBrowserTests(BrowserFixture browser, HttpsApiFactory node) : IClassFixture<HttpsApiFactory>
{
    [Fact]
    public async Task SignIn_ShowsTheDashboard_SignOut_LeadsBackToSignIn()
    {
        var (context, page, errors) = await browser.NewPageAsync(node.HttpsPort);
        await using var _ = context;

        await page.GotoAsync("/admin");
        Assert.Matches(SignInUrl(), page.Url);
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "signin");

        await page.GetByLabel("User name", new() { Exact = true }).FillAsync("admin");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(ApiFactory.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();

        await page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Exact = true }).WaitForAsync();
        Assert.EndsWith("/admin", page.Url, StringComparison.Ordinal);
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "dashboard");

        await page.GetByRole(AriaRole.Link, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).WaitForAsync();
        await page.GotoAsync("/admin");
        Assert.Matches(SignInUrl(), page.Url);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [GeneratedRegex("/admin/signin\\?ReturnUrl=%2Fadmin$")]
    private static partial Regex SignInUrl();
}

/// <summary>Lockout in Chromium: five wrong passwords, then the right one is refused with "locked" (own node: it stays locked).</summary>
[Collection(BrowserCollection.Name)]
public sealed class LockoutBrowserTests(BrowserFixture browser, DefaultLockoutNode node) : IClassFixture<DefaultLockoutNode>
{
    [Fact]
    public async Task FiveWrongPasswords_LockTheAccount_TheRightOneIsThenRefused()
    {
        var (context, page, errors) = await browser.NewPageAsync(node.HttpsPort);
        await using var _ = context;
        await page.GotoAsync("/admin/signin");

        for (var i = 0; i < 6; i++)
        {
            await page.GetByLabel("User name", new() { Exact = true }).FillAsync("admin");
            await page.GetByLabel("Password", new() { Exact = true }).FillAsync(i < 5 ? "wrong " + i : ApiFactory.AdminPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Alert).WaitForAsync();
            var alert = await page.GetByRole(AriaRole.Alert).InnerTextAsync();
            if (i < 4)
            {
                Assert.Equal("Wrong user name or password.", alert);
            }
            else
            {
                Assert.Contains("locked", alert, StringComparison.Ordinal);
            }
        }

        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "signin-locked");
        await page.GotoAsync("/admin");
        Assert.Contains("/admin/signin", page.Url, StringComparison.Ordinal);

        // 401/403/429 answers of the sign-in page are how the form reports, not script errors.
        Assert.DoesNotContain(errors, e => !e.Contains("status of 40", StringComparison.Ordinal));
    }
}

/// <summary>A node with the shipped lockout settings (5 wrong passwords).</summary>
public sealed class DefaultLockoutNode : HttpsApiFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Sbd:Admin:LockoutThreshold"] = "5",
    };
}
