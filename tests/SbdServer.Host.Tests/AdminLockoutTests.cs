using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>A node whose admin locks after 3 wrong passwords (the default is 5) and whose addresses are not limited.</summary>
public sealed class LockoutNode : HttpsApiFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Sbd:Admin:LockoutThreshold"] = "3",
        ["Sbd:Admin:LockoutMinutes"] = "15",
        ["Sbd:Admin:AddressFailureLimit"] = "1000",
    };
}

/// <summary>A node that refuses an address after 6 failed sign-ins a minute.</summary>
public sealed class AddressLimitNode : HttpsApiFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Sbd:Admin:AddressFailureLimit"] = "6",
        ["Sbd:Admin:AddressWindowSeconds"] = "600",
    };
}

/// <summary>Issue 13: account lockout on the sign-in page and the API, audited; the API's per-address limit.</summary>
public sealed class AdminLockoutTests(LockoutNode node) : IClassFixture<LockoutNode>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WrongPasswords_LockTheAccount_ForTheUiAndTheApi_EvenWithTheRightPassword_Audited()
    {
        using var browser = new AdminSession(node.HttpsPort);
        for (var i = 0; i < 2; i++)
        {
            var wrong = await browser.SignInAsync("admin", "wrong " + i);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        // The third wrong password: through the API's Basic sign-in, which counts the same.
        using var guessing = node.CreateClient();
        guessing.DefaultRequestHeaders.Authorization = ApiFactory.Basic("admin", "wrong 2");
        var lockedByApi = await guessing.GetAsync("/api/nodes", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, lockedByApi.StatusCode);
        Assert.Contains("locked", await lockedByApi.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var page = await browser.SignInAsync("admin", ApiFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.Contains("This account is locked", html, StringComparison.Ordinal);
        Assert.Contains("15 minutes", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Http.GetAsync("/admin", Ct)).StatusCode);

        using var rightPassword = node.CreateClient();
        rightPassword.DefaultRequestHeaders.Authorization = ApiFactory.Basic("admin", ApiFactory.AdminPassword);
        var api = await rightPassword.GetAsync("/api/audit?max=50", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.True(api.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(14));
        Assert.Equal(HttpStatusCode.Unauthorized, (await rightPassword.PostAsync("/api/auth/token", null, Ct)).StatusCode);

        // The audit entry, read from the database the cluster shares (the account itself is still locked).
        var store = node.Services.GetRequiredService<SbdServer.Core.Storage.ISecurityStore>();
        var audit = await store.GetAuditAsync(50, Ct);
        var locked = Assert.Single(audit, e => e.Action == "admin.locked");
        Assert.Equal("admin", locked.Actor);
        Assert.Contains("from 127.0.0.1", locked.Details, StringComparison.Ordinal);
        Assert.Contains("after 3 wrong passwords", locked.Details, StringComparison.Ordinal);
    }
}

/// <summary>The per-address limit: guesses with made-up user names end in 429, and the right password waits too.</summary>
public sealed class AdminAddressLimitTests(AddressLimitNode node) : IClassFixture<AddressLimitNode>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ManyFailedSignIns_FromOneAddress_Are429_WithRetryAfter_ForTheRightPasswordToo()
    {
        using var guessing = node.CreateClient();
        for (var i = 0; i < 6; i++)
        {
            guessing.DefaultRequestHeaders.Authorization = ApiFactory.Basic("user" + i, "guess");
            Assert.Equal(HttpStatusCode.Unauthorized, (await guessing.GetAsync("/api/nodes", Ct)).StatusCode);
        }

        guessing.DefaultRequestHeaders.Authorization = ApiFactory.Basic("user6", "guess");
        var limited = await guessing.GetAsync("/api/nodes", Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(9));

        using var admin = node.Admin();
        Assert.Equal(HttpStatusCode.TooManyRequests, (await admin.GetAsync("/api/nodes", Ct)).StatusCode);
        using var browser = new AdminSession(node.HttpsPort);
        var page = await browser.SignInAsync("admin", ApiFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Contains("Too many failed sign-ins from this address", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // The account itself is not locked: made-up user names do not count against the admin.
        var store = node.Services.GetRequiredService<SbdServer.Core.Storage.ISecurityStore>();
        Assert.DoesNotContain(await store.GetAuditAsync(50, Ct), e => e.Action == "admin.locked");
    }
}
