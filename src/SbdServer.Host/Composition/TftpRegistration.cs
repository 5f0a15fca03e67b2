using SbdServer.Tftp;

namespace SbdServer.Host.Composition;

/// <summary>TFTP (UDP 69) and HTTP 6970; their counters are on the host's /metrics (<see cref="MetricsRegistration"/>).</summary>
internal static class TftpRegistration
{
    public static WebApplicationBuilder AddSbdTftp(this WebApplicationBuilder builder)
    {
        builder.Services.AddSbdTftpServer(builder.Configuration);
        return builder;
    }
}
