using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace SbdServer.Host.Auth;

/// <summary>HTTP Basic (admin user and password) or Bearer (token from <c>POST /api/auth/token</c>).</summary>
internal sealed class AdminAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILogger<AdminAuthenticationHandler> logger,
    UrlEncoder encoder,
    AdminCredentials credentials,
    AdminTokenService tokens,
    AdminApiWarnings warnings)
    // The base class logs every refusal and challenge at Information, one line per request a guessing loop sends;
    // refusals are logged here instead, per address and rate-limited.
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, NullLoggerFactory.Instance, encoder)
{
    public const string SchemeName = "SbdAdmin";

    /// <summary>Claim set on principals that authenticated with Basic (only they may mint tokens).</summary>
    public const string BasicAuthenticationMethod = "basic";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!AuthenticationHeaderValue.TryParse(header, out var value) || value.Parameter is null)
        {
            return Fail("malformed Authorization header");
        }

        if (string.Equals(value.Scheme, "Basic", StringComparison.OrdinalIgnoreCase))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
            }
            catch (FormatException)
            {
                return Fail("Basic credentials are not base64");
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || !credentials.Check(decoded[..colon], decoded[(colon + 1)..]))
            {
                return Fail("wrong user name or password");
            }

            return Success(credentials.User, BasicAuthenticationMethod);
        }

        if (string.Equals(value.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            var user = tokens.Validate(value.Parameter);
            return user is null ? Fail("unknown or expired bearer token") : Success(user, "bearer");
        }

        return Fail("unsupported authentication scheme");
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"SbdServer\", Bearer realm=\"SbdServer\"";
        await Response.WriteAsJsonAsync(new
        {
            title = "Unauthorized",
            status = 401,
            detail = "Authenticate with HTTP Basic (admin user) or a bearer token from POST /api/auth/token.",
        });
    }

    private Task<AuthenticateResult> Fail(string reason)
    {
        var remote = Context.Connection.RemoteIpAddress;
        if (remote is { IsIPv4MappedToIPv6: true })
        {
            remote = remote.MapToIPv4();
        }

        if (warnings.Limiter.ShouldLog(AdminApiWarnings.AuthFailedKind, remote))
        {
            HostLog.AuthenticationFailed(logger, remote?.ToString() ?? "?", reason);
        }

        return Task.FromResult(AuthenticateResult.Fail(reason));
    }

    private static Task<AuthenticateResult> Success(string user, string method)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user), new Claim(ClaimTypes.AuthenticationMethod, method)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
