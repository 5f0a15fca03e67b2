using SbdServer.Core.Storage;

namespace SbdServer.Host.Api;

/// <summary><c>/api/audit</c>: the latest audit entries, newest first.</summary>
internal static class AuditEndpoints
{
    public static RouteGroupBuilder MapAuditEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", async (ISecurityStore store, string? max, CancellationToken ct) =>
            Results.Ok(await store.GetAuditAsync(QueryFlags.Int(max, "max", 100, 1, 1000), ct))).WithTags("Audit");
        return api;
    }
}
