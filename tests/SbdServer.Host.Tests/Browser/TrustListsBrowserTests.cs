using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SbdServer.Tftp.Http;
using Xunit;

namespace SbdServer.Host.Tests.Browser;

/// <summary>Issue 13 acceptance in Chromium: the Trust Lists page lists the ITL HTTP 6970 serves, with its checksums.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TrustListsBrowserTests(BrowserFixture browser, HttpsApiFactory node) : IClassFixture<HttpsApiFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TrustLists_ShowTheServedItlsChecksums_AndRecords_AndDownloadTheSameBytes()
    {
        var port = node.Services.GetRequiredService<TftpHttpService>().LocalEndPoint!.Port;
        using var http = new HttpClient();
        var served = await http.GetByteArrayAsync($"http://127.0.0.1:{port}/ITLFile.tlv", Ct);

        var (context, page, errors) = await browser.NewPageAsync(node.HttpsPort);
        await using var _ = context;
        await BrowserSignIn.AsAsync(page, "admin", ApiFactory.AdminPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "Trust Lists", Exact = true }).ClickAsync();
        var section = page.GetByRole(AriaRole.Region, new() { Name = "cucm-pub: ITLFile.tlv" });
        await section.WaitForAsync();

        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(served)), await section.Locator("[data-checksum=md5]").InnerTextAsync());
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(served)), await section.Locator("[data-checksum=sha1]").InnerTextAsync());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(served)), await section.Locator("[data-checksum=sha256]").InnerTextAsync());
        var text = await section.InnerTextAsync();
        Assert.Contains("System Administrator Security Token", text, StringComparison.Ordinal);
        Assert.Contains("this etoken was used to sign the ITL file", text, StringComparison.Ordinal);
        Assert.Matches("SERIALNUMBER\\s+\\d+\\s+([0-9A-F]{2}:)+[0-9A-F]{2}", text);
        Assert.Contains("TVS", text, StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByRole(AriaRole.Region, new() { Name = "cucm-pub: CTLFile.tlv" }).CountAsync()); // non-secure: no CTL
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "trust-lists");

        var download = await page.RunAndWaitForDownloadAsync(() =>
            section.GetByRole(AriaRole.Link, new() { Name = "Download ITLFile.tlv of cucm-pub" }).ClickAsync());
        Assert.Equal(served, await File.ReadAllBytesAsync(await download.PathAsync(), Ct));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
