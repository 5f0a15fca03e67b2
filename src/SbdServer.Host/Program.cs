using SbdServer.Host.Composition;
using SbdServer.Host.Startup;
using SbdServer.PhoneServices;

return await StartGuard.RunAsync(args, static args =>
{
    // The content root is where appsettings.json ships, not the working directory: started from elsewhere (a systemd
    // unit runs in /) the host would miss its settings and watch the whole working directory tree for changes.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

    builder.AddSbdDefaults();
    builder.AddSbdPersistence();
    builder.AddSbdApi();
    builder.AddSbdProvisioning();
    builder.AddSbdTftp();
    builder.AddSbdTvsFromCertificateStore();
    builder.AddSbdTvs();
    builder.AddSbdPhoneServices();
    builder.AddSbdCapf();
    builder.AddSbdSip();
    builder.AddSbdWebListeners();
    builder.AddSbdAdminPages();
    builder.AddSbdAdminSecurity();
    builder.AddSbdMetrics();

    var app = builder.Build();

    app.UseSbdSecurityHeaders();
    app.MapSbdHealth();
    app.MapSbdApi();
    app.MapSbdMetrics();
    app.MapSbdPhoneServices();
    app.MapSbdAdminPages();
    return app;
});

/// <summary>Entry point type, visible to WebApplicationFactory in the integration tests.</summary>
public partial class Program;
