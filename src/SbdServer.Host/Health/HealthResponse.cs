using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SbdServer.Host.Health;

/// <summary>
/// <c>/health/live</c> (the process answers) and <c>/health/ready</c> (database, listeners, certificates): anonymous,
/// 200 or 503 with a JSON body naming each check and the reason it failed. <c>/health</c> stays as it was (liveness,
/// plain text) for scripts written against it.
/// </summary>
internal static class HealthResponse
{
    public const string ReadyTag = "ready";

    public static IHealthChecksBuilder AddSbdReadiness(this IHealthChecksBuilder checks)
    {
        checks.Services.AddSingleton<DatabaseHealthCheck>();
        return checks.AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<ListenersHealthCheck>("listeners", tags: [ReadyTag]);
    }

    public static void MapSbdHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(ReadyTag),
            ResponseWriter = WriteAsync,
        }).AllowAnonymous();
    }

    private static readonly JsonWriterOptions Indented = new() { Indented = false };

    private static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer, Indented))
        {
            json.WriteStartObject();
            json.WriteString("status", report.Status == HealthStatus.Healthy ? "ready" : "not ready");
            json.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                json.WriteStartObject(name);
                json.WriteString("status", entry.Status.ToString());
                if (entry.Description is { } reason)
                {
                    json.WriteString("reason", reason);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted);
    }
}
