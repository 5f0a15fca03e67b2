using System.Security.Claims;
using SbdServer.Core.Capf;
using SbdServer.Core.DeviceManagement;
using SbdServer.Core.Errors;

namespace SbdServer.Host.Api;

/// <summary>
/// CAPF scheduling per device (<c>PUT /api/devices/{name}/capf</c>), in bulk (<c>PUT /api/devices/capf</c>), and
/// the session log (<c>GET /api/capf/sessions</c>: who enrolled, with which authentication, and the outcome).
/// </summary>
internal static class CapfEndpoints
{
    private const int MaxJsonBytes = 16 * 1024;
    private const int MaxBulkJsonBytes = 1024 * 1024;

    public static RouteGroupBuilder MapCapfEndpoints(this RouteGroupBuilder api)
    {
        var devices = api.MapGroup("/devices").WithTags("CAPF");

        // The literal segment wins over /devices/{name}: "capf" is not a device name (those are SEP + 12 hex).
        devices.MapPut("/capf", async (HttpRequest request, ClaimsPrincipal user, DeviceManager manager, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadJsonAsync<CapfBody>(request, MaxBulkJsonBytes, "CAPF settings", ct);
            if (body.Devices is not { Count: > 0 } names)
            {
                throw new InvalidInputException("Field 'devices' must name at least one device.");
            }

            return Results.Ok(await manager.SetCapfAsync(names, body.ToSpec(), Actor.Of(user), ct));
        });

        devices.MapPut("/{name}/capf", async (
            string name, HttpRequest request, ClaimsPrincipal user, DeviceManager manager, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadJsonAsync<CapfBody>(request, MaxJsonBytes, "CAPF settings", ct);
            if (body.Devices is not null)
            {
                throw new InvalidInputException("Field 'devices' belongs to PUT /api/devices/capf (bulk); this route names its device.");
            }

            return Results.Ok(await manager.SetCapfAsync(name, body.ToSpec(), Actor.Of(user), ct));
        });

        api.MapGet("/capf/sessions", (CapfSessionLog log, string? device, string? max) =>
        {
            if (device is { Length: > 64 })
            {
                throw new InvalidInputException("Query parameter 'device' is at most 64 characters (e.g. SEP0011215A1AE3).");
            }

            var records = log.Recent(string.IsNullOrWhiteSpace(device) ? null : device.Trim(), QueryFlags.Int(max, "max", 100, 1, 1000));
            return Results.Ok(records.Select(r => new
            {
                r.At,
                r.RemoteAddress,
                r.SessionId,
                r.DeviceName,
                r.Operation,
                r.AuthMode,
                Outcome = r.Outcome.ToString(),
                r.Detail,
                r.LscSerial,
                r.DurationMilliseconds,
            }));
        }).WithTags("CAPF");
        return api;
    }
}
