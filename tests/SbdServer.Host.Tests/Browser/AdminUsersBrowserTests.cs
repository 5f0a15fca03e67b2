using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SbdServer.Core.Errors;
using Xunit;

namespace SbdServer.Host.Tests.Browser;

/// <summary>
/// Issue 13 acceptance in Chromium: admin users in the database next to the configured admin; add, change password,
/// disable (the user's session and API access end, he cannot sign in), and nobody disables himself.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminUsersBrowserTests(BrowserFixture browser, HttpsApiFactory node) : IClassFixture<HttpsApiFactory>
{
    private const string Operator = "operator2";
    private const string FirstPassword = "first password 1";
    private const string SecondPassword = "second password 2";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddChangeDisable_ADisabledUserCannotSignIn_AndNobodyDisablesHimself()
    {
        var (context, page, errors) = await browser.NewPageAsync(node.HttpsPort);
        await using var _ = context;
        await BrowserSignIn.AsAsync(page, "admin", ApiFactory.AdminPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "Admin Users", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Admin Users" }).WaitForAsync();
        Assert.Contains("configuration (Sbd:Admin:Password)", await page.Locator("tbody").InnerTextAsync(), StringComparison.Ordinal);

        await page.GetByLabel("New user name").FillAsync(Operator);
        await page.GetByLabel("New password").FillAsync(FirstPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        Assert.Contains($"Admin user {Operator} added", await page.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await ApiStatusAsync(Operator, FirstPassword));
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "admin-users");

        await page.GetByRole(AriaRole.Link, new() { Name = $"Change password of {Operator}" }).ClickAsync();
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(SecondPassword);
        await page.GetByLabel("Repeat the new password").FillAsync(SecondPassword);
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        Assert.Contains($"The password of {Operator} was changed", await page.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, await ApiStatusAsync(Operator, FirstPassword));
        Assert.Equal(HttpStatusCode.OK, await ApiStatusAsync(Operator, SecondPassword));

        // The new admin signs in in a browser of his own...
        var (otherContext, other, otherErrors) = await browser.NewPageAsync(node.HttpsPort);
        await using var __ = otherContext;
        await BrowserSignIn.AsAsync(other, Operator, SecondPassword);

        // ...cannot disable himself...
        await other.GotoAsync("/admin/users");
        await other.GetByRole(AriaRole.Button, new() { Name = $"Disable {Operator}" }).ClickAsync();
        Assert.Contains("cannot disable your own account", await other.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);

        // ...and once the admin disables him, his session, his API access and his sign-in all end.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Disable {Operator}" }).ClickAsync();
        Assert.Contains($"Admin user {Operator} disabled", await page.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        await other.GotoAsync("/admin");
        Assert.Contains("/admin/signin", other.Url, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, await ApiStatusAsync(Operator, SecondPassword));
        await other.GetByLabel("User name", new() { Exact = true }).FillAsync(Operator);
        await other.GetByLabel("Password", new() { Exact = true }).FillAsync(SecondPassword);
        await other.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await other.GetByRole(AriaRole.Alert).WaitForAsync();
        Assert.Contains("/admin/signin", other.Url, StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit Log", Exact = true }).ClickAsync();
        var audit = await page.Locator("tbody").InnerTextAsync();
        Assert.Contains("admin-user.add", audit, StringComparison.Ordinal);
        Assert.Contains("admin-user.password", audit, StringComparison.Ordinal);
        Assert.Contains("admin-user.disable", audit, StringComparison.Ordinal);
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        // The refusals (his own disable, his sign-in) answer 400/401 on purpose, which Chromium logs.
        otherErrors.RemoveAll(e => e.StartsWith("Failed to load resource: the server responded with a status of 40", StringComparison.Ordinal));
        Assert.True(otherErrors.Count == 0, string.Join("\n", otherErrors));
    }

    [Fact]
    public async Task TheLastEnabledAdmin_CannotBeDisabled_AndAWeakPasswordIsRefused()
    {
        using var admin = node.Admin();
        using var session = new AdminSession(node.HttpsPort);
        using (await session.SignInAsync("admin", ApiFactory.AdminPassword))
        {
        }

        var token = await session.FormTokenAsync("/admin/users");
        using var weak = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["NewName"] = "shorty",
            ["NewPassword"] = "short",
        });
        using var refused = await session.Http.PostAsync("/admin/users?handler=Add", weak, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("A password is 12 to 256 characters", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // Signed in as admin, disabling "admin" is refused as self; the rule for the last one is checked in Core too.
        using var self = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Name"] = "admin" });
        using var own = await session.Http.PostAsync("/admin/users?handler=Disable", self, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, own.StatusCode);
        var users = node.Services.GetRequiredService<Core.Admins.AdminUserManager>();
        var last = await Assert.ThrowsAsync<InvalidInputException>(() => users.SetEnabledAsync("admin", false, "someone-else", Ct));
        Assert.Contains("last enabled admin", last.Message, StringComparison.Ordinal);
        using var stillWorks = await admin.GetAsync("/api/nodes", Ct);
        Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
    }

    private async Task<HttpStatusCode> ApiStatusAsync(string user, string password)
    {
        using var client = node.CreateClient();
        client.DefaultRequestHeaders.Authorization = ApiFactory.Basic(user, password);
        using var response = await client.GetAsync("/api/nodes", Ct);
        return response.StatusCode;
    }
}
