using System.Text.Json;
using Microsoft.Extensions.Options;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Impact;

namespace SbdServer.Host.Api;

/// <summary><c>POST /api/plan</c>: what a proposed change would do to every phone, before it is made. Read-only.</summary>
internal static class PlanEndpoints
{
    public const int MaxBodyBytes = 64 * 1024;

    public static RouteGroupBuilder MapPlanEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/plan", async (HttpRequest request, ChangePlanService planner, CancellationToken ct) =>
        {
            var body = await ReadBodyAsync(request, ct);
            var entries = body.Changes ?? throw new CertificateStoreException("Field 'changes' is required: {\"changes\":[...]}.");
            if (entries.Count > ChangePlanner.MaxChanges)
            {
                throw new CertificateStoreException($"The plan holds {entries.Count} changes; the limit is {ChangePlanner.MaxChanges}.");
            }

            var changes = entries
                .Select((e, i) => (e ?? throw new CertificateStoreException($"changes[{i}] must be an object.")).ToChange(i))
                .ToList();
            return Results.Ok(await planner.PlanAsync(changes, ct));
        }).WithTags("Plan");

        return api;
    }

    private static async Task<PlanBody> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (!RequestBody.HasMediaType(request, "application/json"))
        {
            throw new CertificateStoreException("Send the plan as JSON (Content-Type application/json).");
        }

        var bytes = await RequestBody.ReadAsync(request, MaxBodyBytes, ct);
        try
        {
            var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            return JsonSerializer.Deserialize<PlanBody>(bytes, options)
                ?? throw new CertificateStoreException("The body must be a JSON object {\"changes\":[...]}.");
        }
        catch (JsonException ex)
        {
            // The serializer's message names the offending field without echoing values.
            var at = ex.Path is { Length: > 1 } path ? $" (at {path})" : "";
            var message = ex.Message.Split(". ", 2)[0];
            throw new CertificateStoreException("The body is not a valid plan" + at + ": " + (message.Length <= 300 ? message : message[..300] + "..."));
        }
    }
}
