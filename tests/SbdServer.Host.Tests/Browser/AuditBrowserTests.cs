using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SbdServer.Core.Audit;
using SbdServer.Core.Storage;
using Xunit;

namespace SbdServer.Host.Tests.Browser;

/// <summary>
/// Issue 13 in Chromium: the Audit Log pages through a long log (newest first, next and previous, page size) and filters
/// by actor and action in the database, so its HTML stays one page long.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AuditBrowserTests(BrowserFixture browser, HttpsApiFactory node) : IClassFixture<HttpsApiFactory>
{
    private const int Written = 1_230;

    private static string ActorOf(int i) => i % 3 == 0 ? "bulk-importer" : "operator7";

    private static string ActionOf(int i) => i % 2 == 0 ? "test.even" : "test.odd";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ALongLog_IsPaged_AndFilteredByActorAndAction()
    {
        // 1 230 entries by two actors with two actions, numbered so their order is visible, in one commit as a bulk
        // change writes them; dated an hour back, so the node's own entries (start-up, sign-ins) are newer.
        var changes = new SecurityChangeSet();
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        for (var i = 0; i < Written; i++)
        {
            changes.Audit.Add(new AuditEntry
            {
                Id = Guid.CreateVersion7(start.AddMilliseconds(i)),
                At = start.AddMilliseconds(i),
                Actor = ActorOf(i),
                Action = ActionOf(i),
                Target = $"entry-{i:D4}",
                Details = i == 42 ? "the needle" : "",
            });
        }

        await node.Services.GetRequiredService<ISecurityStore>().CommitAsync(changes, Ct);

        var (context, page, errors) = await browser.NewPageAsync(node.HttpsPort);
        await using var _ = context;
        await BrowserSignIn.AsAsync(page, "admin", ApiFactory.AdminPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit Log", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Audit Log" }).WaitForAsync();

        // Newest first (this sign-in), 50 rows, a page of tens of kilobytes however long the log.
        var rows = page.Locator("tbody tr");
        Assert.Equal(50, await rows.CountAsync());
        Assert.Contains("admin.signin", await rows.Nth(0).InnerTextAsync(), StringComparison.Ordinal);
        var html = await page.ContentAsync();
        Assert.True(html.Length < 40_000, $"the first page is {html.Length} characters");
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "audit");

        // One actor: next and previous walk its entries newest first, keeping the filter.
        var byOperator = Enumerable.Range(0, Written).Reverse().Where(i => ActorOf(i) == "operator7").Select(i => $"entry-{i:D4}").ToList();
        await page.GetByLabel("Who").SelectOptionAsync("operator7");
        await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("actor=operator7", StringComparison.Ordinal));
        Assert.Contains($"{byOperator.Count} entries, page 1 of {(byOperator.Count + 49) / 50}", await page.Locator("main p").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains(byOperator[0], await rows.Nth(0).InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "Next page" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("p=2", StringComparison.Ordinal));
        Assert.Contains(byOperator[50], await rows.Nth(0).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains(byOperator[99], await rows.Nth(49).InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "Previous page" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("p=1", StringComparison.Ordinal));
        Assert.Contains(byOperator[0], await rows.Nth(0).InnerTextAsync(), StringComparison.Ordinal);

        // Actor and action together, 200 a page: every third entry and only the even ones, so every sixth.
        var evenImports = Enumerable.Range(0, Written).Reverse()
            .Where(i => ActorOf(i) == "bulk-importer" && ActionOf(i) == "test.even").Select(i => $"entry-{i:D4}").ToList();
        await page.GetByLabel("Who").SelectOptionAsync("bulk-importer");
        await page.GetByLabel("Action", new() { Exact = true }).SelectOptionAsync("test.even");
        await page.GetByLabel("Per page").SelectOptionAsync("200");
        await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("actor=bulk-importer", StringComparison.Ordinal));
        Assert.Contains($"{evenImports.Count} entries, page 1 of 2", await page.Locator("main p").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(200, await rows.CountAsync());
        Assert.Contains(evenImports[0], await rows.Nth(0).InnerTextAsync(), StringComparison.Ordinal);
        var listed = await page.Locator("tbody").InnerTextAsync();
        Assert.DoesNotContain("operator7", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("test.odd", listed, StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "Next page" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("p=2", StringComparison.Ordinal));
        Assert.Equal(evenImports.Count - 200, await rows.CountAsync());
        Assert.Contains("entry-0000", await rows.Last.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("size=200", page.Url, StringComparison.Ordinal);

        // The text search looks in the details too, in any case.
        await page.GotoAsync("/admin/audit?q=NEEDLE");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Contains("entry-0042", await rows.Nth(0).InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task BadFilterText_IsA400WithAMessage_NotACrash()
    {
        using var session = new AdminSession(node.HttpsPort);
        using (await session.SignInAsync("admin", ApiFactory.AdminPassword))
        {
        }

        using var tooLong = await session.Http.GetAsync("/admin/audit?actor=" + new string('a', 200), Ct);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("at most 128 characters", await tooLong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        using var control = await session.Http.GetAsync("/admin/audit?q=%01x&p=-3&size=7", Ct);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, control.StatusCode);

        // A page size not offered falls back to 50, a page past the end shows the last page.
        using var odd = await session.Http.GetAsync("/admin/audit?p=999999&size=7", Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, odd.StatusCode);
        var body = await odd.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<option value=\"50\" selected=\"selected\">", body, StringComparison.Ordinal);
        Assert.Matches(@"entries, page (\d+) of \1,", body);
    }
}
