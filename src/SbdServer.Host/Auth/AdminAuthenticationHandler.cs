using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SbdServer.Admin.Security;

namespace SbdServer.Host.Auth;

/// <summary>HTTP Basic (admin user and password) or Bearer (token from <c>POST /api/auth/token</c>).</summary>
internal sealed class AdminAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILogger<AdminAuthenticationHandler> logger,
    UrlEncoder encoder,
    AdminSignInGuard guard,
    AdminTokenService tokens,
    AdminApiWarnings warnings)
    // The base class logs every refusal and challenge at Information, one line per request a guessing loop sends;
    // refusals are logged here instead, per address and rate-limited.
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, NullLoggerFactory.Instance, encoder)
{
    public const string SchemeName = "SbdAdmin";

    /// <summary>Claim set on principals that authenticated with Basic (only they may mint tokens).</summary>
    public const string BasicAuthenticationMethod = "basic";

    /// <summary>Why the last refusal was not a plain wrong password (the challenge answers 429 or names the lock).</summary>
    private AdminSignInCheck? _refusal;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
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
            if (colon < 0)
            {
                return Fail("Basic credentials without a colon");
            }

            var check = await guard.CheckAsync(decoded[..colon], decoded[(colon + 1)..], Remote(), Context.RequestAborted);
            switch (check.Result)
            {
                case AdminSignInResult.Success:
                    return Success(check.User, BasicAuthenticationMethod);
                case AdminSignInResult.Locked:
                    _refusal = check;
                    return Fail("account locked");
                case AdminSignInResult.RateLimited:
                    _refusal = check;
                    return Fail("too many failed sign-ins from this address");
                default:
                    return Fail("wrong user name or password");
            }
        }

        if (string.Equals(value.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            var user = tokens.Validate(value.Parameter);
            if (user is null)
            {
                return Fail("unknown or expired bearer token");
            }

            return await guard.IsEnabledAsync(user, Context.RequestAborted) ? Success(user, "bearer") : Fail("the token's admin user is disabled");
        }

        return Fail("unsupported authentication scheme");
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var retry = Math.Max(1, (int)Math.Ceiling((_refusal?.RetryAfter ?? TimeSpan.Zero).TotalSeconds))
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (_refusal?.Result == AdminSignInResult.RateLimited)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = retry;
            await Response.WriteAsJsonAsync(new
            {
                title = "Too Many Requests",
                status = 429,
                detail = "Too many failed sign-ins from this address; try again after Retry-After seconds.",
            });
            return;
        }

        if (_refusal?.Result == AdminSignInResult.Locked)
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.RetryAfter = retry;
            Response.Headers.WWWAuthenticate = "Basic realm=\"SbdServer\", Bearer realm=\"SbdServer\"";
            await Response.WriteAsJsonAsync(new
            {
                title = "Unauthorized",
                status = 401,
                detail = "The admin account is locked after too many wrong passwords; try again after Retry-After seconds.",
            });
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"SbdServer\", Bearer realm=\"SbdServer\"";
        await Response.WriteAsJsonAsync(new
        {
            title = "Unauthorized",
            status = 401,
            detail = "Authenticate with HTTP Basic (admin user) or a bearer token from POST /api/auth/token.",
        });
    }

    private System.Net.IPAddress? Remote()
    {
        var remote = Context.Connection.RemoteIpAddress;
        return remote is { IsIPv4MappedToIPv6: true } ? remote.MapToIPv4() : remote;
    }

    private AuthenticateResult Fail(string reason)
    {
        var remote = Remote();
        if (warnings.Limiter.ShouldLog(AdminApiWarnings.AuthFailedKind, remote))
        {
            HostLog.AuthenticationFailed(logger, remote?.ToString() ?? "?", reason);
        }

        return AuthenticateResult.Fail(reason);
    }

    private static AuthenticateResult Success(string user, string method)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user), new Claim(ClaimTypes.AuthenticationMethod, method)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
