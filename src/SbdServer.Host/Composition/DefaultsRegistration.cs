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
            .WriteTo.Async(
                sink => sink.Console(new SafeConsoleFormatter()),
                bufferSize: 10_000,
                blockWhenFull: false));

        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks();
        return builder;
    }

    public static WebApplication MapSbdHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health").AllowAnonymous();
        return app;
    }
}
