using System.Net;
using System.Net.Security;
using System.Text.RegularExpressions;

namespace SbdServer.Host.Tests;

/// <summary>A browser-like client of the admin UI over the node's HTTPS listener: cookies kept, redirects not followed.</summary>
internal sealed partial class AdminSession : IDisposable
{
    private readonly HttpClient _client;

    public AdminSession(int httpsPort)
    {
        Cookies = new CookieContainer();
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = Cookies,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, c, _, _) => c is not null },
        })
        { BaseAddress = new Uri($"https://127.0.0.1:{httpsPort}") };
    }

    public CookieContainer Cookies { get; }

    public HttpClient Http => _client;

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    /// <summary>The sign-in form's antiforgery token (and its cookie, kept in <see cref="Cookies"/>).</summary>
    public async Task<string> FormTokenAsync(string path = "/admin/signin")
    {
        var html = await _client.GetStringAsync(path, Ct);
        return Token().Match(html) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("no antiforgery token in " + path);
    }

    public async Task<HttpResponseMessage> SignInAsync(string user, string password, bool withToken = true)
    {
        var fields = new Dictionary<string, string> { ["UserName"] = user, ["Password"] = password };
        var token = await FormTokenAsync();
        if (withToken)
        {
            fields["__RequestVerificationToken"] = token;
        }

        using var body = new FormUrlEncodedContent(fields);
        return await _client.PostAsync("/admin/signin", body, Ct);
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
