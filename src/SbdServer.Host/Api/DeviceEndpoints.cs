using System.Security.Claims;
using System.Text;
using SbdServer.Core.DeviceManagement;
using SbdServer.Core.Devices;
using SbdServer.Core.Provisioning;

namespace SbdServer.Host.Api;

/// <summary>
/// <c>/api/devices</c>: phones, their certificate (for encrypted configs), pending resets and self-reports; and
/// <c>/api/inventory</c>, every device's trust state. A device's <c>ETag</c> is its version: <c>If-Match</c> with it on
/// PUT, DELETE and the certificate upload refuses (412) a change made on a version another administrator or node has
/// changed since.
/// </summary>
internal static class DeviceEndpoints
{
    private const int MaxJsonBytes = 16 * 1024;

    public static RouteGroupBuilder MapDeviceEndpoints(this RouteGroupBuilder api)
    {
        var devices = api.MapGroup("/devices").WithTags("Devices");

        devices.MapGet("/", async (DeviceManager manager, CancellationToken ct) => Results.Ok(await manager.ListAsync(ct)));

        devices.MapPost("/", async (HttpRequest request, ClaimsPrincipal user, DeviceManager manager, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadJsonAsync<DeviceBody>(request, MaxJsonBytes, "device", ct);
            var created = await manager.CreateAsync(body.ToSpec(), Actor.Of(user), ct);
            EntityTags.Set(request.HttpContext.Response, created.Version);
            return Results.Created($"/api/devices/{created.Name}", created);
        });

        devices.MapGet("/{name}", async (
            string name, HttpResponse response, DeviceManager manager, DeviceTrustInventory inventory, DeviceReports reports,
            CancellationToken ct) =>
        {
            var device = await manager.GetAsync(name, ct);
            EntityTags.Set(response, device.Version);
            return Results.Ok(device with
            {
                Trust = await inventory.GetAsync(name, ct),
                Reported = await reports.GetAsync(name, ct),
            });
        });

        // What the phone says about itself (emulated phone, or a QA script reading a real phone's Trust List menu).
        devices.MapPost("/{name}/report", async (string name, HttpRequest request, DeviceReports reports, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadJsonAsync<DeviceReportBody>(request, MaxJsonBytes, "device report", ct);
            return Results.Ok(await reports.SubmitAsync(name, body.ToSpec(), ct));
        });

        // Fleet-wide trust inventory; CUCM 14's "ITL File Status = mismatched" is ?itlStatus=mismatched.
        api.MapGet("/inventory", async (
            HttpRequest request, string? itlStatus, DeviceTrustInventory inventory, CancellationToken ct) =>
        {
            var filter = string.IsNullOrEmpty(itlStatus) ? (TrustFileState?)null : DeviceTrustInventory.ParseState(itlStatus);
            var entries = await inventory.ListAsync(filter, ct);
            return InventoryCsv.Wanted(request)
                ? Results.Text(InventoryCsv.Write(entries), InventoryCsv.MediaType, Encoding.UTF8)
                : Results.Ok(entries);
        }).WithTags("Devices");

        devices.MapPut("/{name}", async (
            string name, HttpRequest request, ClaimsPrincipal user, DeviceManager manager, CancellationToken ct) =>
        {
            var version = EntityTags.IfMatch(request);
            var body = await RequestBody.ReadJsonAsync<DeviceBody>(request, MaxJsonBytes, "device", ct);
            var updated = await manager.UpdateAsync(name, body.ToSpec(), Actor.Of(user), version, ct);
            EntityTags.Set(request.HttpContext.Response, updated.Version);
            return Results.Ok(updated);
        });

        devices.MapDelete("/{name}", async (
            string name, HttpRequest request, ClaimsPrincipal user, DeviceManager manager, CancellationToken ct) =>
        {
            await manager.DeleteAsync(name, Actor.Of(user), EntityTags.IfMatch(request), ct);
            return Results.NoContent();
        });

        devices.MapPut("/{name}/certificate", async (
            string name, HttpRequest request, ClaimsPrincipal user, DeviceManager manager, CancellationToken ct) =>
        {
            var version = EntityTags.IfMatch(request);
            var body = await RequestBody.ReadAsync(request, DeviceManager.MaxCertificateBytes, ct);
            var updated = await manager.SetCertificateAsync(name, body, Actor.Of(user), version, ct);
            EntityTags.Set(request.HttpContext.Response, updated.Version);
            return Results.Ok(updated);
        });

        devices.MapPost("/{name}/reset", async (string name, ClaimsPrincipal user, DeviceManager manager, CancellationToken ct) =>
            Results.Ok(await manager.RequestResetAsync(name, Actor.Of(user), ct)));

        devices.MapGet("/{name}/reset", async (string name, DeviceManager manager, CancellationToken ct) =>
            Results.Ok(await manager.GetResetAsync(name, ct)));

        // The phone acknowledges that it has reset.
        devices.MapDelete("/{name}/reset", async (string name, ClaimsPrincipal user, DeviceManager manager, CancellationToken ct) =>
            Results.Ok(await manager.AcknowledgeResetAsync(name, Actor.Of(user), ct)));

        return api;
    }
}
