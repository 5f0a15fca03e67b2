using System.Security.Claims;

namespace SbdServer.Host.Api;

internal static class Actor
{
    /// <summary>The audit name of the caller.</summary>
    public static string Of(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}
