using SbdServer.Host.Health;
using SbdServer.Host.Logging;
using SbdServer.Host.Startup;
using Serilog;

namespace SbdServer.Host.Composition;

/// <summary>Logging, problem details and health checks shared by every SbdServer node.</summary>
internal static class DefaultsRegistration
{
    public static WebApplicationBuilder AddSbdDefaults(this WebApplicationBuilder builder)
    {
        // Serilog reads its levels and sinks from the "Serilog" section; the console sink is the default so
        // `dotnet run` and docker logs show the service without any setup. It writes from a background queue: the
        // TFTP I/O thread logs transfers, and a slow or stalled stdout (a full pipe, a paused terminal) must never
        // hold up the transfers in flight. A full queue drops lines rather than blocking. The formatter keeps every
        // event on one line of its own, whatever text reached it (docs/adr/0005-peer-text-and-warnings.md).
        builder.Services.AddSerilog((services, configuration) => configuration
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .Filter.ByExcluding(IsHostReportOfARefusal)
            .WriteTo.Async(
                sink => sink.Console(new SafeConsoleFormatter()),
                bufferSize: 10_000,
                blockWhenFull: false));

        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks().AddSbdReadiness();
        return builder;
    }

    /// <summary>
    /// The generic host logs a failed start with its exception and stack trace; for a refusal Program already writes
    /// the one line that names the setting, so the host's copy is left out (any other failure keeps it).
    /// </summary>
    private static bool IsHostReportOfARefusal(Serilog.Events.LogEvent e) =>
        e.Exception is { } exception
        && e.Properties.TryGetValue("SourceContext", out var source)
        && source.ToString().StartsWith("\"Microsoft.", StringComparison.Ordinal)
        && StartRefusal.From(exception) is not null;

    public static WebApplication MapSbdHealth(this WebApplication app)
    {
        app.MapSbdHealthEndpoints();
        return app;
    }
}
