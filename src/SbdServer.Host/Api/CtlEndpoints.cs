using System.Security.Claims;
using SbdServer.Core.CertificateManagement;

namespace SbdServer.Host.Api;

/// <summary>
/// <c>/api/ctl</c>: the tokenless CTL as stored (GET: its records and whether they are still current) and CUCM's
/// <c>utils ctl update CTLFile</c> (POST <c>/api/ctl/update</c>: write the CTL again from the current certificates).
/// </summary>
internal static class CtlEndpoints
{
    public static RouteGroupBuilder MapCtlEndpoints(this RouteGroupBuilder api)
    {
        var ctl = api.MapGroup("/ctl").WithTags("CTL");

        ctl.MapGet("/", async (CtlUpdates ctlUpdates, CancellationToken ct) => Results.Ok(await ctlUpdates.GetCtlAsync(ct)));

        ctl.MapPost("/update", async (ClaimsPrincipal user, CtlUpdates ctlUpdates, ILogger<CtlUpdates> logger, CancellationToken ct) =>
        {
            var actor = Actor.Of(user);
            var view = await ctlUpdates.UpdateCtlAsync(actor, ct);
            HostLog.AdminAction(logger, actor, "updated the CTL", "CTLFile.tlv");
            return Results.Ok(view);
        });

        return api;
    }
}
