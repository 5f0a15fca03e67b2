using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SbdServer.Core.Devices;
using SbdServer.Core.Events;
using SbdServer.Core.Storage;
using SbdServer.Phone;
using SbdServer.Phone.Net;
using SbdServer.Phone.Reporting;
using SbdServer.Tftp;
using SbdServer.Tftp.Http;
using SbdServer.Tvs;
using Xunit;

namespace SbdServer.Host.Tests.Browser;

/// <summary>
/// One HTTPS node with 10 000 devices, written in one transaction through the store (as a bulk import does) rather
/// than 10 000 API calls.
/// </summary>
public sealed class TenThousandDevicesNode : IAsyncLifetime
{
    public const int Count = 10_000;

    public HttpsApiFactory Node { get; } = new();

    public static string NameOf(int i) => "SEP" + i.ToString("X12", System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask InitializeAsync()
    {
        await Node.InitializeAsync();
        var events = Node.Services.GetRequiredService<CertificateStoreEventHub>();
        var changes = new SecurityChangeSet();
        var now = DateTimeOffset.UtcNow;
        for (var i = 1; i <= Count; i++)
        {
            changes.Added.Add(new Device
            {
                Id = Guid.CreateVersion7(),
                Name = NameOf(i),
                Model = "8861",
                CallManagerGroup = "Default",
                Description = $"Lab phone {i}",
                UpdatedAt = now,
            });
        }

        // One change event so the generated-file catalogue learns of the devices, as after any device write.
        changes.Changes.Add(new CertificateStoreChange(CertificateStoreChangeKind.DeviceChanged, events.InstanceId, null, NameOf(1), null, now));
        await Node.Services.GetRequiredService<ISecurityStore>().CommitAsync(changes, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync() => await Node.DisposeAsync();
}

/// <summary>
/// Issue 13 acceptance in Chromium for the Devices pages: find one device among 10 000 and open it, reset it, upload
/// its certificate; a phone that booted with an old ITL listed under MisMatch; the bulk ITL reset's impact.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DevicesBrowserTests(BrowserFixture browser, TenThousandDevicesNode fixture) : IClassFixture<TenThousandDevicesNode>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpsApiFactory Node => fixture.Node;

    [Fact]
    public async Task FindOneDeviceAmongTenThousand_OpenIt_UploadItsCertificate_AndResetIt()
    {
        var (context, page, errors) = await browser.NewPageAsync(Node.HttpsPort);
        await using var _ = context;
        await CertificatesBrowserTests.SignInAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Devices", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Find and List Phones" }).WaitForAsync();
        Assert.Contains($"{TenThousandDevicesNode.Count} devices, page 1 of 200", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "Next page" }).ClickAsync();
        await page.GetByText($"{TenThousandDevicesNode.Count} devices, page 2 of 200").WaitForAsync();
        Assert.Equal(TenThousandDevicesNode.NameOf(51), await page.Locator("tbody tr td a").First.InnerTextAsync());
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "devices");

        var wanted = TenThousandDevicesNode.NameOf(0x1A2B);
        await page.GetByLabel("Search", new() { Exact = true }).FillAsync("1a2b");
        await page.GetByRole(AriaRole.Button, new() { Name = "Find", Exact = true }).ClickAsync();
        await page.GetByText("1 device, page 1 of 1").WaitForAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = wanted, Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Phone Configuration: " + wanted }).WaitForAsync();
        var facts = await page.Locator("dl.facts").First.InnerTextAsync();
        Assert.Contains("Lab phone 6699", facts, StringComparison.Ordinal);
        Assert.Contains("Default", facts, StringComparison.Ordinal);
        Assert.Contains("Not Installed", await page.Locator("main table").First.InnerTextAsync(), StringComparison.Ordinal);
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "device-details");

        // A bad upload gets a message and stores nothing; the phone's RSA certificate is stored.
        await page.GetByLabel("Phone certificate (LSC or MIC, PEM or DER)").SetInputFilesAsync(new FilePayload
        {
            Name = "phone.pem",
            MimeType = "application/x-pem-file",
            Buffer = "not a certificate"u8.ToArray(),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Alert).WaitForAsync();
        Assert.Contains("none uploaded", await page.Locator("dl.facts").First.InnerTextAsync(), StringComparison.Ordinal);
        CertificatesBrowserTests.ExpectRefusalOnly(errors, "handler=Certificate");
        using var rsa = RSA.Create(2048);
        using var phoneCert = new CertificateRequest($"CN=CP-8861-{wanted}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        await page.GetByLabel("Phone certificate (LSC or MIC, PEM or DER)").SetInputFilesAsync(new FilePayload
        {
            Name = "phone.pem",
            MimeType = "application/x-pem-file",
            Buffer = System.Text.Encoding.ASCII.GetBytes(phoneCert.ExportCertificatePem()),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Status).WaitForAsync();
        Assert.Contains(phoneCert.GetCertHashString(HashAlgorithmName.SHA256), await page.Locator("dl.facts").First.InnerTextAsync(), StringComparison.OrdinalIgnoreCase);

        await page.GetByRole(AriaRole.Link, new() { Name = "Reset", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Reset " + wanted }).WaitForAsync();
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Reset", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Status).WaitForAsync();
        Assert.StartsWith("pending since", await page.Locator("#reset-state").InnerTextAsync(), StringComparison.Ordinal);
        using var admin = Node.Admin();
        var reset = await admin.GetFromJsonAsync<DeviceResetView>($"/api/devices/{wanted}/reset", Ct);
        Assert.True(reset!.ResetPending);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task PhoneThatBootedWithAnOldItl_IsListedAsMisMatch_AndTheBulkItlResetShowsItsImpact()
    {
        const string Mac = "0A1B2C3D4E5F";
        using var admin = Node.Admin();
        using (var created = await admin.PostAsJsonAsync("/api/devices", new { name = "SEP" + Mac, model = "8861" }, Ct))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(Ct));
        }

        try
        {
            var state = Directory.CreateTempSubdirectory("sbd-ui-phone-").FullName;
            try
            {
                var phone = new EmulatedPhone(state, PhoneOptionsFor(Mac));
                var boot = await phone.BootAsync(Ct);
                Assert.True(boot.Accepted, string.Join('\n', boot.Log));
                using (var regenerated = await admin.PostAsync("/api/nodes/cucm-pub/certificates/TVS/regenerate?confirm=true", null, Ct))
                {
                    Assert.True(regenerated.IsSuccessStatusCode, await regenerated.Content.ReadAsStringAsync(Ct));
                }

                // The phone has not fetched again: it reports the ITL it holds, the one from before the regeneration.
                var reporter = new DeviceReportClient(admin, admin.BaseAddress!, "admin", ApiFactory.AdminPassword);
                Assert.Null(await reporter.SendAsync("SEP" + Mac, new SbdServer.Phone.Reporting.DeviceReport(boot.Itl!.Md5, boot.Itl.Sha1, null, null, null, boot.Status), Ct));
            }
            finally
            {
                Directory.Delete(state, recursive: true);
            }

            var (context, page, errors) = await browser.NewPageAsync(Node.HttpsPort);
            await using var _ = context;
            await CertificatesBrowserTests.SignInAsync(page);
            await page.GotoAsync("/admin/devices");
            await page.GetByLabel("ITL File Status").SelectOptionAsync(new SelectOptionValue { Label = "MisMatch" });
            await page.GetByRole(AriaRole.Button, new() { Name = "Find", Exact = true }).ClickAsync();
            await page.GetByText("1 device, page 1 of 1").WaitForAsync();
            var row = await page.Locator("tbody tr").InnerTextAsync();
            Assert.Contains("SEP" + Mac, row, StringComparison.Ordinal);
            Assert.Contains("MisMatch", row, StringComparison.Ordinal);
            await BrowserFixture.AssertAccessibleAsync(page);
            await BrowserFixture.ScreenshotAsync(page, "devices-mismatch");

            await page.GetByRole(AriaRole.Link, new() { Name = "SEP" + Mac, Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = "Last report" }).WaitForAsync();
            Assert.Contains("MisMatch", await page.Locator("main table").First.InnerTextAsync(), StringComparison.Ordinal);

            // The REST API's inventory (computed in memory) agrees with the database's filter.
            var inventory = await admin.GetFromJsonAsync<List<System.Text.Json.JsonElement>>("/api/inventory?itlStatus=mismatched", Ct);
            Assert.Equal("SEP" + Mac, Assert.Single(inventory!).GetProperty("name").GetString());

            await page.GotoAsync("/admin/devices/itlreset");
            await page.GetByRole(AriaRole.Heading, new() { Name = "Impact of starting it" }).WaitForAsync();
            Assert.Contains("phones keep trust", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
            await BrowserFixture.AssertAccessibleAsync(page);
            await BrowserFixture.ScreenshotAsync(page, "itl-reset");

            // Both impact pages count per population in SQL and list the first phones that lose trust; the REST API plans
            // every one of the 10 001 devices: the same totals, warnings and first 50 phones.
            using (var plan = await admin.PostAsJsonAsync("/api/plan", new { changes = new[] { new { action = "itl-reset", value = "localkey" } } }, Ct))
            {
                Assert.True(plan.IsSuccessStatusCode, await plan.Content.ReadAsStringAsync(Ct));
                await AssertPageAgreesAsync(page, await plan.Content.ReadFromJsonAsync<JsonElement>(Ct));
            }

            await page.GotoAsync("/admin/certificates/regenerate?node=cucm-pub&name=TVS");
            await page.GetByRole(AriaRole.Heading, new() { Name = "Impact" }).WaitForAsync();
            using (var preview = await admin.PostAsync("/api/nodes/cucm-pub/certificates/TVS/regenerate?dryRun=true", null, Ct))
            {
                Assert.True(preview.IsSuccessStatusCode, await preview.Content.ReadAsStringAsync(Ct));
                var listed = await AssertPageAgreesAsync(page, await preview.Content.ReadFromJsonAsync<JsonElement>(Ct));

                // The phone that holds the ITL from before the last TVS regeneration is at risk from the next one.
                Assert.Contains(listed, l => l.StartsWith($"SEP{Mac}: at risk", StringComparison.Ordinal));
            }
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }
        finally
        {
            // The class's other test counts the fixture's 10 000 devices; this one's phone must not outlive it.
            using var deleted = await admin.DeleteAsync($"/api/devices/SEP{Mac}", CancellationToken.None);
        }
    }

    /// <summary>The impact page shows the plan's totals, warnings and first 50 devices that lose trust; returns its list.</summary>
    private static async Task<List<string>> AssertPageAgreesAsync(IPage page, JsonElement plan)
    {
        var text = await page.Locator("main").InnerTextAsync();
        var totals = Regex.Match(text, @"(\d+) phones keep trust, (\d+) lose it");
        Assert.True(totals.Success, text);
        Assert.Equal(plan.GetProperty("kept").GetInt32(), int.Parse(totals.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.Equal(plan.GetProperty("lost").GetInt32(), int.Parse(totals.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.Equal(
            plan.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()),
            await page.Locator("main p.warning:not([role])").AllInnerTextsAsync());
        var expected = plan.GetProperty("devices").EnumerateArray()
            .Where(d => !d.GetProperty("keepsTrust").GetBoolean())
            .Take(50)
            .Select(d => $"{d.GetProperty("name").GetString()}: {d.GetProperty("reason").GetString()}")
            .ToList();
        var listed = (await page.Locator("main li").AllInnerTextsAsync()).ToList();
        Assert.Equal(expected, listed);
        return listed;
    }

    private PhoneOptions PhoneOptionsFor(string mac)
    {
        var tvs = Node.Services.GetRequiredService<TvsHostedService>().Server!.LocalEndPoint.Port;
        return new PhoneOptions
        {
            Mac = mac,
            Model = SbdServer.Phone.PhoneModel.Get("8861"),
            TftpHost = "127.0.0.1",
            TftpPort = Node.Services.GetRequiredService<TftpServerService>().LocalEndPoint!.Port,
            HttpPort = Node.Services.GetRequiredService<TftpHttpService>().LocalEndPoint!.Port,
            Resolver = PhoneResolver.Parse(
            [
                $"cucm-pub.lab.example:2445=127.0.0.1:{tvs}",
                $"127.0.0.1:2445=127.0.0.1:{tvs}",
                $"cucm-pub.lab.example:8443=127.0.0.1:{Node.HttpsPort}",
                "cucm-pub.lab.example=127.0.0.1",
            ]),
        };
    }
}
