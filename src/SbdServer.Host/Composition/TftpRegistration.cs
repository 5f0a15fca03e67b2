using SbdServer.Tftp;

namespace SbdServer.Host.Composition;

/// <summary>TFTP (UDP 69), HTTP 6970 and the TFTP counters on the host's /metrics.</summary>
internal static class TftpRegistration
{
    public static WebApplicationBuilder AddSbdTftp(this WebApplicationBuilder builder)
    {
        builder.Services.AddSbdTftpServer(builder.Configuration);
        return builder;
    }

    public static WebApplication MapSbdTftp(this WebApplication app)
    {
        app.MapSbdTftpMetrics();
        return app;
    }
}
