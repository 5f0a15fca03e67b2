using System.Security.Claims;
using SbdServer.Core.CertificateManagement;
using SbdServer.Core.Errors;
using SbdServer.Core.Parameters;

namespace SbdServer.Host.Api;

/// <summary>
/// <c>/api/parameters</c>: enterprise parameters. A parameter's <c>ETag</c> is its version; <c>If-Match</c> with it on
/// PUT refuses (412) a change made on a value another administrator or node has changed since.
/// </summary>
internal static class ParameterEndpoints
{
    public static RouteGroupBuilder MapParameterEndpoints(this RouteGroupBuilder api)
    {
        var parameters = api.MapGroup("/parameters").WithTags("Enterprise parameters");

        parameters.MapGet("/", async (EnterpriseParameters manager, CancellationToken ct) =>
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var definition in EnterpriseParameterCatalog.All)
            {
                result[definition.Name] = await manager.GetParameterAsync(definition.Name, ct);
            }

            return Results.Ok(result);
        });

        parameters.MapGet("/{name}", async (string name, HttpResponse response, EnterpriseParameters manager, CancellationToken ct) =>
        {
            var (value, version) = await manager.GetParameterEntryAsync(name, ct);
            EntityTags.Set(response, version);
            return Results.Ok(new ParameterValue(value));
        });

        parameters.MapPut("/{name}", async (
            string name, HttpRequest request, ClaimsPrincipal user, EnterpriseParameters manager, CancellationToken ct) =>
        {
            var version = EntityTags.IfMatch(request);
            ParameterValue? body;
            try
            {
                body = await request.ReadFromJsonAsync<ParameterValue>(ct);
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
            {
                throw new InvalidInputException("The body must be JSON {\"value\": \"...\"} (Content-Type application/json).");
            }

            return Results.Ok(new ParameterValue(await manager.SetParameterAsync(name, body?.Value, Actor.Of(user), version, ct)));
        });

        return api;
    }
}
