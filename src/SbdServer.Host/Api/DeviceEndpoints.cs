using System.Security.Claims;
using System.Text;
using System.Text.Json;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Devices;
using SbdServer.Core.Provisioning;

namespace SbdServer.Host.Api;

/// <summary>
/// <c>/api/devices</c>: phones, their certificate (for encrypted configs), pending resets and self-reports; and
/// <c>/api/inventory</c>, every device's trust state.
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
            var body = await ReadBodyAsync<DeviceBody>(request, "device", ct);
            var created = await manager.CreateAsync(body.ToSpec(), Actor.Of(user), ct);
            return Results.Created($"/api/devices/{created.Name}", created);
        });

        devices.MapGet("/{name}", async (
            string name, DeviceManager manager, DeviceTrustInventory inventory, DeviceReports reports, CancellationToken ct) =>
            Results.Ok(await manager.GetAsync(name, ct) with
            {
                Trust = await inventory.GetAsync(name, ct),
                Reported = await reports.GetAsync(name, ct),
            }));

        // What the phone says about itself (emulated phone, or a QA script reading a real phone's Trust List menu).
        devices.MapPost("/{name}/report", async (string name, HttpRequest request, DeviceReports reports, CancellationToken ct) =>
        {
            var body = await ReadBodyAsync<DeviceReportBody>(request, "device report", ct);
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
            var body = await ReadBodyAsync<DeviceBody>(request, "device", ct);
            return Results.Ok(await manager.UpdateAsync(name, body.ToSpec(), Actor.Of(user), ct));
        });

        devices.MapDelete("/{name}", async (string name, ClaimsPrincipal user, DeviceManager manager, CancellationToken ct) =>
        {
            await manager.DeleteAsync(name, Actor.Of(user), ct);
            return Results.NoContent();
        });

        devices.MapPut("/{name}/certificate", async (
            string name, HttpRequest request, ClaimsPrincipal user, DeviceManager manager, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync(request, DeviceManager.MaxCertificateBytes, ct);
            return Results.Ok(await manager.SetCertificateAsync(name, body, Actor.Of(user), ct));
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

    private static async Task<T> ReadBodyAsync<T>(HttpRequest request, string what, CancellationToken ct)
    {
        if (!RequestBody.HasMediaType(request, "application/json"))
        {
            throw new CertificateStoreException($"Send the {what} as JSON (Content-Type application/json).");
        }

        var bytes = await RequestBody.ReadAsync(request, MaxJsonBytes, ct);
        try
        {
            var options = request.HttpContext.RequestServices
                .GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            return JsonSerializer.Deserialize<T>(bytes, options)
                ?? throw new CertificateStoreException("The body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            // The serializer's message names the offending field (unknown member or wrong type) without echoing values.
            var at = ex.Path is { Length: > 1 } path ? $" (at {path})" : "";
            throw new CertificateStoreException($"The body is not a valid {what}{at}: " + FirstSentence(ex.Message));
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        var text = end < 0 ? message : message[..(end + 1)];
        return text.Length <= 300 ? text : text[..300] + "...";
    }
}
