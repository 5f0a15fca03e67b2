using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>
/// Issue 13, scope 4 on a real HTTPS listener: the UI needs a cookie session, the API its Basic/Bearer, the cookie
/// and the headers are locked down, forms need antiforgery, and the session keys live (sealed) in the database.
/// </summary>
public sealed class AdminSecurityTests(HttpsApiFactory factory) : IClassFixture<HttpsApiFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WithoutASession_PagesLeadToSignIn_ApiAnswers401_HealthIsOpen()
    {
        using var anonymous = new AdminSession(factory.HttpsPort);

        var page = await anonymous.Http.GetAsync("/admin", Ct);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("https://127.0.0.1:" + factory.HttpsPort + "/admin/signin?ReturnUrl=%2Fadmin", page.Headers.Location!.ToString(), StringComparison.Ordinal);
        var unknownPage = await anonymous.Http.GetAsync("/admin/no-such-page", Ct);
        Assert.Equal(HttpStatusCode.Redirect, unknownPage.StatusCode);

        foreach (var path in new[] { "/api/nodes", "/api/audit", "/metrics", "/openapi/v1.json" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Http.GetAsync(path, Ct)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await anonymous.Http.GetAsync("/health/live", Ct)).StatusCode);
        var signIn = await anonymous.Http.GetAsync("/admin/signin", Ct);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var html = await signIn.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<label for=\"user\">User name</label>", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"password\">Password</label>", html, StringComparison.Ordinal);
        Assert.Contains("<button type=\"submit\">Sign in</button>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SignIn_SetsALockedDownCookie_ShowsTheDashboard_IsAudited_SignOutEndsIt()
    {
        using var browser = new AdminSession(factory.HttpsPort);

        var signedIn = await browser.SignInAsync("admin", ApiFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/admin", signedIn.Headers.Location?.OriginalString);
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-SbdAdmin=", StringComparison.Ordinal));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; path=/", cookie, StringComparison.OrdinalIgnoreCase);

        var dashboard = await browser.Http.GetAsync("/admin", Ct);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        var html = await dashboard.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<h1>Dashboard</h1>", html, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{factory.HttpsPort}", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/admin/signout\">Sign out</a>", html, StringComparison.Ordinal);
        AssertSecurityHeaders(dashboard);

        // The session cookie is the UI's only: the API keeps asking for Basic or Bearer.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Http.GetAsync("/api/nodes", Ct)).StatusCode);

        using var api = factory.Admin();
        var audit = await api.GetFromJsonAsync<JsonElement>("/api/audit?max=50", Ct);
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "admin.signin"
            && e.GetProperty("actor").GetString() == "admin"
            && e.GetProperty("details").GetString()!.Contains("from 127.0.0.1", StringComparison.Ordinal));

        var signOut = await browser.Http.GetAsync("/admin/signout", Ct);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/admin/signin", signOut.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Http.GetAsync("/admin", Ct)).StatusCode);
    }

    [Fact]
    public async Task SignInPost_WithoutAntiforgery_Is400_AndSignsNobodyIn()
    {
        using var browser = new AdminSession(factory.HttpsPort);

        var response = await browser.SignInAsync("admin", ApiFactory.AdminPassword, withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies)
            && cookies.Any(c => c.StartsWith("__Host-SbdAdmin=", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Http.GetAsync("/admin", Ct)).StatusCode);
    }

    [Fact]
    public async Task WrongPassword_SaysSo_And_ReturnUrlToAnotherSite_IsIgnored()
    {
        using var browser = new AdminSession(factory.HttpsPort);

        var wrong = await browser.SignInAsync("nobody", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("Wrong user name or password.", await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var token = await browser.FormTokenAsync("/admin/signin?ReturnUrl=https%3A%2F%2Fevil.example%2F");
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "admin",
            ["Password"] = ApiFactory.AdminPassword,
            ["ReturnUrl"] = "//evil.example/admin",
            ["__RequestVerificationToken"] = token,
        });
        var signedIn = await browser.Http.PostAsync("/admin/signin", body, Ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/admin", signedIn.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task HttpsResponses_CarryTheSecurityHeaders_ErrorsShowNoServerDetails()
    {
        using var api = new AdminSession(factory.HttpsPort);
        api.Http.DefaultRequestHeaders.Authorization = ApiFactory.Basic("admin", ApiFactory.AdminPassword);

        var missing = await api.Http.GetAsync("/api/nodes/no-such-node/certificates/CallManager/pem", Ct);
        AssertSecurityHeaders(missing);
        var text = await missing.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain(factory.DataDir, text, StringComparison.Ordinal);
        Assert.DoesNotContain("/work/", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionKeys_AreSealedInTheDatabase_AndASecondNodeOnItAcceptsTheSession()
    {
        using var browser = new AdminSession(factory.HttpsPort);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("admin", ApiFactory.AdminPassword)).StatusCode);

        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(factory.DataDir, "sbd.db")};Mode=ReadOnly"))
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT xml FROM data_protection_keys";
            var rows = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync(Ct))
            {
                while (await reader.ReadAsync(Ct))
                {
                    rows.Add(reader.GetString(0));
                }
            }

            Assert.NotEmpty(rows);
            Assert.All(rows, xml =>
            {
                Assert.Contains("<sbdSealedKey", xml, StringComparison.Ordinal);
                Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal);
            });
        }

        await using var second = new HttpsApiFactory(factory.DataDir);
        await second.InitializeAsync();
        using var sameCookies = new AdminSession(second.HttpsPort);
        foreach (Cookie cookie in browser.Cookies.GetAllCookies())
        {
            sameCookies.Cookies.Add(new Uri($"https://127.0.0.1:{second.HttpsPort}"), new Cookie(cookie.Name, cookie.Value, "/"));
        }

        var dashboard = await sameCookies.Http.GetAsync("/admin", Ct);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
    }

    internal static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var csp = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.StartsWith("max-age=", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
    }
}
