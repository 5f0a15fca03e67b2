using System.Security.Claims;
using SbdServer.Host.Auth;

namespace SbdServer.Host.Api;

/// <summary><c>POST /api/auth/token</c>: a bearer token for a caller that authenticated with Basic.</summary>
internal static class AuthEndpoints
{
    public static RouteGroupBuilder MapAuthEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/auth/token", (ClaimsPrincipal user, AdminTokenService tokens) =>
        {
            if (user.FindFirstValue(ClaimTypes.AuthenticationMethod) != AdminAuthenticationHandler.BasicAuthenticationMethod)
            {
                return Results.Problem("Tokens are issued to HTTP Basic credentials only.", statusCode: StatusCodes.Status400BadRequest);
            }

            var (token, expires) = tokens.Issue(Actor.Of(user));
            return Results.Ok(new { accessToken = token, tokenType = "Bearer", expiresAt = expires });
        }).WithTags("Auth");
        return api;
    }
}
