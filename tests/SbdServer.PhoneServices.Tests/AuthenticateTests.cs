using System.Net;
using SbdServer.PhoneServices.Tests.Support;
using Xunit;

namespace SbdServer.PhoneServices.Tests;

public sealed class AuthenticateTests
{
    private const string Path = "/ccmcip/authenticate.jsp";

    public static TheoryData<string, string> Table => new()
    {
        { Query(RunningServer.User, RunningServer.Password, RunningServer.KnownDevice), "AUTHORIZED" },
        { Query(RunningServer.User, RunningServer.Password, null), "AUTHORIZED" },
        { Query(RunningServer.User, RunningServer.Password, "00:11:21:5a:1a:e3"), "AUTHORIZED" },
        { Query(RunningServer.User, "wrong", RunningServer.KnownDevice), "UN-AUTHORIZED" },
        { Query(RunningServer.User, "", RunningServer.KnownDevice), "UN-AUTHORIZED" },
        { Query("someone", RunningServer.Password, RunningServer.KnownDevice), "UN-AUTHORIZED" },
        { Query(RunningServer.User, RunningServer.Password, "SEP00AABBCCDDEE"), "UN-AUTHORIZED" },
        { Query(RunningServer.User, RunningServer.Password, "not-a-phone"), "UN-AUTHORIZED" },
        { Query(null, RunningServer.Password, RunningServer.KnownDevice), "ERROR" },
        { Query("", RunningServer.Password, RunningServer.KnownDevice), "ERROR" },
        { Query(RunningServer.User, null, RunningServer.KnownDevice), "ERROR" },
        { "", "ERROR" },
        { Query(RunningServer.User, RunningServer.Password, RunningServer.KnownDevice) + "&Password=again", "ERROR" },
        { Query(new string('u', 129), RunningServer.Password, null), "ERROR" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public async Task Get_AnswersLikeCucm(string query, string expected)
    {
        await using var server = await RunningServer.StartAsync(o => o.MaxFailedAuthentications = 1000);
        using var client = server.CreateClient();

        var response = await client.Http.GetAsync(Path + query, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(RunningServer.Password, "AUTHORIZED")]
    [InlineData("wrong", "UN-AUTHORIZED")]
    public async Task Post_FormBody_IsCheckedLikeTheQuery(string password, string expected)
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserID"] = RunningServer.User,
            ["Password"] = password,
            ["devicename"] = RunningServer.KnownDevice,
        });

        var response = await client.Http.PostAsync(Path, form, TestContext.Current.CancellationToken);

        Assert.Equal(expected, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task RepeatedFailures_RefuseEvenTheRightPasswordUntilTheWindowEnds()
    {
        await using var server = await RunningServer.StartAsync(o =>
        {
            o.MaxFailedAuthentications = 3;
            o.FailedAuthenticationWindow = TimeSpan.FromMinutes(1);
        });
        using var client = server.CreateClient();
        var right = Path + Query(RunningServer.User, RunningServer.Password, RunningServer.KnownDevice);
        var wrong = Path + Query(RunningServer.User, "guess", RunningServer.KnownDevice);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("UN-AUTHORIZED", await client.Http.GetStringAsync(wrong, TestContext.Current.CancellationToken));
        }

        var refused = await client.Http.GetAsync(right, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("ERROR", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.NotNull(refused.Headers.RetryAfter);

        server.Time.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal("AUTHORIZED", await client.Http.GetStringAsync(right, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task SuccessfulLogins_DoNotCountAsFailures()
    {
        await using var server = await RunningServer.StartAsync(o => o.MaxFailedAuthentications = 2);
        using var client = server.CreateClient();
        var right = Path + Query(RunningServer.User, RunningServer.Password, RunningServer.KnownDevice);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("AUTHORIZED", await client.Http.GetStringAsync(right, TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task DeviceTableDown_AnswersErrorNotAuthorized()
    {
        await using var server = await RunningServer.StartAsync();
        server.Devices.Fail = true;
        using var client = server.CreateClient();

        var response = await client.Http.GetAsync(
            Path + Query(RunningServer.User, RunningServer.Password, RunningServer.KnownDevice), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("ERROR", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private static string Query(string? user, string? password, string? device)
    {
        var parts = new List<string>();
        if (user is not null)
        {
            parts.Add("UserID=" + Uri.EscapeDataString(user));
        }

        if (password is not null)
        {
            parts.Add("Password=" + Uri.EscapeDataString(password));
        }

        if (device is not null)
        {
            parts.Add("devicename=" + Uri.EscapeDataString(device));
        }

        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}
