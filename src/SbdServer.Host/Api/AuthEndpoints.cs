using System.Security.Claims;
using SbdServer.Core.Errors;
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
                throw new InvalidInputException("Tokens are issued to HTTP Basic credentials only.");
            }

            var (token, expires) = tokens.Issue(Actor.Of(user));
            return Results.Ok(new { accessToken = token, tokenType = "Bearer", expiresAt = expires });
        }).WithTags("Auth");
        return api;
    }
}
