using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>
/// Row versions through the real host: <c>ETag</c> on device and parameter reads, <c>If-Match</c> on PUT and DELETE
/// (412 on a version that moved on), and the admin forms' hidden versions (another administrator's change is shown,
/// not overwritten).
/// </summary>
public sealed partial class ConcurrencyApiTests(HttpsApiFactory factory) : IClassFixture<HttpsApiFactory>
{
    private const string Changed = "changed by another administrator or node since you loaded it; reload and retry";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ETag_IsTheVersion_IfMatchWithAnOldOne_Is412AndChangesNothing()
    {
        using var admin = factory.Admin();
        const string name = "SEP00AA00BB0001";
        var created = await admin.PostAsJsonAsync("/api/devices", new { name, model = "8861", description = "first" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var read = await admin.GetAsync($"/api/devices/{name}", Ct);
        var etag = read.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
        Assert.Equal(created.Headers.ETag, etag);
        var body = await read.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(etag.Tag, "\"" + body.GetProperty("version").GetString() + "\"");

        var first = await PutAsync(admin, name, etag.Tag, new { description = "second" });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var newer = first.Headers.ETag!;
        Assert.NotEqual(etag, newer);

        // Another administrator's change was made on the old version: refused, with the reason in their terms.
        var stale = await PutAsync(admin, name, etag.Tag, new { description = "lost update" });
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);
        var problem = await stale.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(Changed, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(name, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using (var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/devices/{name}"))
        {
            delete.Headers.TryAddWithoutValidation("If-Match", etag.Tag);
            Assert.Equal(HttpStatusCode.PreconditionFailed, (await admin.SendAsync(delete, Ct)).StatusCode);
        }

        // A weak tag never matches (RFC 9110 13.1.1); a malformed header is a 400 with a reason.
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await PutAsync(admin, name, "W/" + newer.Tag, new { description = "weak" })).StatusCode);
        var malformed = await PutAsync(admin, name, "no quotes", new { description = "bad header" });
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("If-Match", (await malformed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var now = await admin.GetFromJsonAsync<JsonElement>($"/api/devices/{name}", Ct);
        Assert.Equal("second", now.GetProperty("description").GetString());

        // The current tag, or *, is honoured; without If-Match the API behaves as before.
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(admin, name, newer.Tag, new { description = "third" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(admin, name, "*", new { description = "fourth" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/devices/{name}", new { description = "fifth" }, Ct)).StatusCode);
        var current = (await admin.GetAsync($"/api/devices/{name}", Ct)).Headers.ETag!;
        using (var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/devices/{name}"))
        {
            delete.Headers.IfMatch.Add(current);
            Assert.Equal(HttpStatusCode.NoContent, (await admin.SendAsync(delete, Ct)).StatusCode);
        }

        // A device created again under the same name never matches a tag of the old one.
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/devices", new { name, model = "8861" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await PutAsync(admin, name, current.Tag, new { description = "old tag" })).StatusCode);
    }

    [Fact]
    public async Task EditForm_SavedOnAVersionAnotherAdminChanged_ShowsTheMessage_AndKeepsTheirChange()
    {
        using var admin = factory.Admin();
        const string name = "SEP00AA00BB0002";
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/devices", new { name, model = "8861", description = "before" }, Ct)).StatusCode);
        using var browser = new AdminSession(factory.HttpsPort);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("admin", ApiFactory.AdminPassword)).StatusCode);
        var page = await browser.Http.GetStringAsync($"/admin/devices/details?name={name}", Ct);
        var token = TokenField().Match(page).Groups[1].Value;
        var version = VersionField().Match(page).Groups[1].Value;
        Assert.NotEmpty(version);

        // Someone else saves the device while the form is open.
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/devices/{name}", new { description = "their change" }, Ct)).StatusCode);

        var stale = await SaveFormAsync(browser, name, token, version, "my change");
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var html = await stale.Content.ReadAsStringAsync(Ct);
        Assert.Contains(Changed, html, StringComparison.Ordinal);
        Assert.Contains("value=\"their change\"", html, StringComparison.Ordinal);
        Assert.Equal("their change", (await admin.GetFromJsonAsync<JsonElement>($"/api/devices/{name}", Ct)).GetProperty("description").GetString());

        // The page now carries the new version: saving again is a decision on what is stored.
        var fresh = VersionField().Match(html).Groups[1].Value;
        Assert.NotEqual(version, fresh);
        var saved = await SaveFormAsync(browser, name, token, fresh, "my change");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("my change", (await admin.GetFromJsonAsync<JsonElement>($"/api/devices/{name}", Ct)).GetProperty("description").GetString());
    }

    [Fact]
    public async Task Parameter_ETagAndIfMatch_412OnAnOldVersion()
    {
        using var admin = factory.Admin();
        const string path = "/api/parameters/SecuredIdleUrl";
        var read = await admin.GetAsync(path, Ct);
        var etag = read.Headers.ETag!;
        Assert.False(etag.IsWeak);

        Assert.Equal(HttpStatusCode.OK, (await PutParameterAsync(admin, path, etag.Tag, "https://a.example/idle")).StatusCode);
        var newer = (await admin.GetAsync(path, Ct)).Headers.ETag!;
        Assert.NotEqual(etag, newer);

        var stale = await PutParameterAsync(admin, path, etag.Tag, "https://b.example/idle");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Contains(Changed, (await stale.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("https://a.example/idle", (await admin.GetFromJsonAsync<JsonElement>(path, Ct)).GetProperty("value").GetString());
        Assert.Equal(HttpStatusCode.OK, (await PutParameterAsync(admin, path, newer.Tag, "https://c.example/idle")).StatusCode);
    }

    [Fact]
    public async Task ParameterForm_LoadedBeforeAnotherAdminsChange_DoesNotSetItBack()
    {
        using var admin = factory.Admin();
        using var browser = new AdminSession(factory.HttpsPort);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("admin", ApiFactory.AdminPassword)).StatusCode);
        var page = await browser.Http.GetStringAsync("/admin/parameters", Ct);
        var token = TokenField().Match(page).Groups[1].Value;
        var shown = ParameterVersion("SecuredMessagesUrl").Match(page).Groups[1].Value;
        var shownServices = ParameterVersion("SecuredServicesUrl").Match(page).Groups[1].Value;
        var before = (await admin.GetFromJsonAsync<JsonElement>("/api/parameters/SecuredMessagesUrl", Ct)).GetProperty("value").GetString()!;

        // Another administrator changes one value while this form is open; this form changes another one and still
        // shows (and posts) the old value of the first.
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/parameters/SecuredMessagesUrl", new { value = "https://other.example/messages" }, Ct)).StatusCode);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Values[SecuredMessagesUrl]"] = before,
            ["Versions[SecuredMessagesUrl]"] = shown,
            ["Values[SecuredServicesUrl]"] = "https://mine.example/services",
            ["Versions[SecuredServicesUrl]"] = shownServices,
        });
        var response = await browser.Http.PostAsync("/admin/parameters?handler=Preview", form, Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains(Changed, html, StringComparison.Ordinal);
        Assert.Contains("https://other.example/messages", html, StringComparison.Ordinal);
        Assert.Equal("https://other.example/messages", (await admin.GetFromJsonAsync<JsonElement>("/api/parameters/SecuredMessagesUrl", Ct)).GetProperty("value").GetString());
        Assert.NotEqual(shown, ParameterVersion("SecuredMessagesUrl").Match(html).Groups[1].Value);
    }

    private static async Task<HttpResponseMessage> PutParameterAsync(HttpClient client, string path, string ifMatch, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(new { value }) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request, Ct);
    }

    private static Regex ParameterVersion(string name) =>
        new($"name=\"Versions\\[{name}\\]\" value=\"([^\"]*)\"", RegexOptions.CultureInvariant);

    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, string name, string ifMatch, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/devices/{name}") { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request, Ct);
    }

    private static async Task<HttpResponseMessage> SaveFormAsync(AdminSession browser, string name, string token, string version, string description)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["name"] = name,
            ["version"] = version,
            ["model"] = "8861",
            ["protocol"] = "SIP",
            ["description"] = description,
            ["callManagerGroup"] = "Default",
            ["securityProfile"] = "NonSecure",
        });
        return await browser.Http.PostAsync($"/admin/devices/details?handler=Edit&name={name}", form, Ct);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("name=\"version\" value=\"([^\"]*)\"")]
    private static partial Regex VersionField();
}
