using Microsoft.Playwright;

namespace SbdServer.Host.Tests.Browser;

/// <summary>Signs a page in through the sign-in form, as a user would.</summary>
internal static class BrowserSignIn
{
    public static async Task AsAsync(IPage page, string user, string password)
    {
        await page.GotoAsync("/admin/signin");
        await page.GetByLabel("User name", new() { Exact = true }).FillAsync(user);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Exact = true }).WaitForAsync();
    }
}
