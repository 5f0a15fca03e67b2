using SbdServer.Admin;
using SbdServer.Admin.Status;
using SbdServer.Host.Health;

namespace SbdServer.Host.Composition;

/// <summary>The admin web UI (<c>/admin</c>, SbdServer.Admin) over this host's use cases and listeners.</summary>
internal static class AdminUiHostRegistration
{
    public static WebApplicationBuilder AddSbdAdminPages(this WebApplicationBuilder builder)
    {
        builder.Services.AddSbdAdminUi();
        builder.Services.AddSingleton<INodeStatus, HostNodeStatus>();
        return builder;
    }

    public static WebApplication MapSbdAdminPages(this WebApplication app)
    {
        app.MapSbdAdminUi();
        return app;
    }
}
