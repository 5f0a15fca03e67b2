using System.Security.Claims;
using SbdServer.Core.CertificateManagement;

namespace SbdServer.Host.Api;

/// <summary>
/// <c>/api/itl/reset</c>: CUCM's bulk ITL reset (<c>utils itl reset localkey</c>). POST starts it (ITLs signed by each
/// TFTP node's CallManager), DELETE ends it as restarting TFTP does (ITLs signed by ITLRecovery again), GET reads it.
/// </summary>
internal static class ItlResetEndpoints
{
    public static RouteGroupBuilder MapItlResetEndpoints(this RouteGroupBuilder api)
    {
        var reset = api.MapGroup("/itl/reset").WithTags("ITL reset");

        reset.MapGet("/", async (ItlResets manager, CancellationToken ct) =>
            Results.Ok(await manager.GetItlResetAsync(ct)));

        reset.MapPost("/", async (
            string? key, ClaimsPrincipal user, ItlResets manager, ILogger<ItlResets> logger, CancellationToken ct) =>
        {
            var actor = Actor.Of(user);
            var view = await manager.StartItlResetAsync(key ?? "localkey", actor, ct);
            HostLog.AdminAction(logger, actor, "started the bulk ITL reset", "localkey");
            return Results.Ok(view);
        });

        reset.MapDelete("/", async (ClaimsPrincipal user, ItlResets manager, ILogger<ItlResets> logger, CancellationToken ct) =>
        {
            var actor = Actor.Of(user);
            var view = await manager.EndItlResetAsync(actor, ct);
            HostLog.AdminAction(logger, actor, "ended the bulk ITL reset", "localkey");
            return Results.Ok(view);
        });

        return api;
    }
}
