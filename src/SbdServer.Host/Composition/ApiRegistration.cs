using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SbdServer.Core.Diagnostics;
using SbdServer.Host.Api;
using SbdServer.Host.Auth;
using SbdServer.Host.Startup;
using SbdServer.Persistence.Database;

namespace SbdServer.Host.Composition;

/// <summary>The admin REST API: JSON, OpenAPI at <c>/openapi/v1.json</c>, Basic or Bearer for the admin user.</summary>
internal static class ApiRegistration
{
    public static WebApplicationBuilder AddSbdApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddOpenApi();

        // A binding failure throws instead of answering an empty 400, so UnreadableRequestHandler can give the reason.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<UnreadableRequestHandler>();
        services.AddSbdPlanner();
        services.AddOptions<AdminOptions>()
            .BindConfiguration(AdminOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var admin = sp.GetRequiredService<IOptions<AdminOptions>>().Value;
            var database = sp.GetRequiredService<DatabaseOptions>();

            // Like the security password: generated only for a brand-new SQLite data directory.
            var mayGenerate = database.Provider == DatabaseProvider.Sqlite
                && !File.Exists(Path.Combine(Path.GetFullPath(database.DataDir), "sbd.db"));
            var password = SecretFiles.Resolve(
                admin.Password, AdminOptions.PasswordKey, "admin-password", database.DataDir, mayGenerate,
                sp.GetRequiredService<ILogger<AdminCredentials>>());
            return new AdminCredentials(admin.User, password);
        });
        services.AddSingleton(sp => new AdminTokenService(
            sp.GetRequiredService<TimeProvider>(),
            TimeSpan.FromMinutes(sp.GetRequiredService<IOptions<AdminOptions>>().Value.TokenLifetimeMinutes)));
        services.TryAddSingleton<PeerWarnings>();
        services.AddSingleton<AdminApiWarnings>();
        services.AddAuthentication(AdminAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, AdminAuthenticationHandler>(AdminAuthenticationHandler.SchemeName, null);

        // Everything needs the admin, except what opts out explicitly (/health/*, the sign-in page and its assets):
        // the UI signs in with its cookie, the API with Basic or Bearer (AdminSecurityRegistration picks per path).
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(AdminSecurityRegistration.AutoScheme).RequireAuthenticatedUser().Build());
        return builder;
    }

    public static WebApplication MapSbdApi(this WebApplication app)
    {
        // Anything the API's error filter does not map becomes a problem+json 500 (logged), not an empty response.
        app.UseExceptionHandler();
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(UnreadableRequestHandler.RefuseDeclaredOversizeAsync);

        // Resolve the admin credentials at start so a missing Sbd:Admin:Password fails fast, not at the first request.
        app.Lifetime.ApplicationStarted.Register(() => app.Services.GetRequiredService<AdminCredentials>());
        app.MapOpenApi();

        var api = app.MapGroup("/api").AddEndpointFilter<ApiErrorFilter>();
        api.MapNodeEndpoints();
        api.MapTrustEndpoints();
        api.MapParameterEndpoints();
        api.MapBackupEndpoints();
        api.MapAuditEndpoints();
        api.MapAuthEndpoints();
        api.MapTvsEndpoints();
        api.MapCapfEndpoints();
        api.MapDeviceEndpoints();
        api.MapFileEndpoints();
        api.MapBulkEndpoints();
        api.MapPlanEndpoints();
        api.MapItlResetEndpoints();
        api.MapCtlEndpoints();
        return app;
    }
}
