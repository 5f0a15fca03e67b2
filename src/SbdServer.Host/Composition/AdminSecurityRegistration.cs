using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using SbdServer.Admin;
using SbdServer.Admin.Security;
using SbdServer.Core.Admins;
using SbdServer.Crypto.Keys;
using SbdServer.Host.Auth;
using SbdServer.Persistence.DataProtection;
using SbdServer.Persistence.Stores;

namespace SbdServer.Host.Composition;

/// <summary>
/// Lock-down of the web application (issue 13, scope 4): the admin UI's cookie session next to the API's Basic and
/// Bearer, the shared sign-in guard (lockout, per-address limit), Data Protection keys in the cluster database, and
/// the security headers of every response.
/// </summary>
internal static class AdminSecurityRegistration
{
    /// <summary>Picks the cookie for the UI and Basic/Bearer for everything else (the API keeps its clients).</summary>
    public const string AutoScheme = "SbdAuto";

    /// <summary>No inline script or style anywhere; pages load only their own assets and post only to themselves.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static WebApplicationBuilder AddSbdAdminSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(sp => AdminLockoutOptions.From(sp.GetRequiredService<IOptions<AdminOptions>>().Value));
        services.AddSingleton<IAdminUserStore, EfAdminUserStore>();

        // Never more than the admin default: the key-sealing count (600 000) would cost every Basic request and wrong password.
        services.AddSingleton(sp => new AdminPasswordHasher(
            Math.Min(sp.GetRequiredService<KeyProtectionOptions>().Pbkdf2Iterations, AdminPasswordHasher.DefaultIterations)));
        services.AddSingleton(sp =>
        {
            var credentials = sp.GetRequiredService<AdminCredentials>();
            return new ConfiguredAdmin(credentials.User, credentials.Password);
        });
        services.AddSingleton<AdminUserManager>();
        services.AddSingleton<AdminSignInGuard>();
        services.AddSingleton<IAdminSignIn>(sp => sp.GetRequiredService<AdminSignInGuard>());
        services.AddSingleton<DataProtectionKeyStore>();

        services.AddDataProtection().SetApplicationName("SbdServer");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(options =>
        {
            options.XmlRepository = new DatabaseXmlRepository(sp);
            options.XmlEncryptor = new ClusterKeyXmlEncryptor(sp);
        }));

        services.AddAuthentication(AutoScheme)
            .AddPolicyScheme(AutoScheme, "Admin UI cookie or API credentials", options =>
                options.ForwardDefaultSelector = context => IsUi(context.Request.Path) ? AdminCookie.Scheme : AdminAuthenticationHandler.SchemeName)
            .AddCookie(AdminCookie.Scheme, options =>
            {
                options.Cookie.Name = AdminCookie.Name;
                options.Cookie.HttpOnly = true;
                options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.Path = "/";
                options.LoginPath = AdminCookie.SignInPath;
                options.LogoutPath = AdminCookie.SignOutPath;
                options.AccessDeniedPath = AdminCookie.SignInPath;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;

                // A session ends when its admin is disabled (on any node), not when the cookie expires.
                options.Events.OnValidatePrincipal = async context =>
                {
                    var guard = context.HttpContext.RequestServices.GetRequiredService<AdminSignInGuard>();
                    if (!await guard.IsEnabledAsync(context.Principal?.Identity?.Name, context.HttpContext.RequestAborted))
                    {
                        context.RejectPrincipal();
                        await Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.SignOutAsync(context.HttpContext, AdminCookie.Scheme);
                    }
                };
            });
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "__Host-SbdAntiforgery";
            options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            options.Cookie.SameSite = SameSiteMode.Strict;
        });
        return builder;
    }

    /// <summary>Security headers on every response; HSTS on HTTPS only (a plain --urls client would pin nothing).</summary>
    public static WebApplication UseSbdSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                if (context.Request.IsHttps)
                {
                    headers.StrictTransportSecurity = "max-age=31536000";
                }

                if (IsUi(context.Request.Path))
                {
                    headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }

    private static bool IsUi(PathString path) => path.StartsWithSegments(AdminUiRegistration.BasePath) || path == "/";
}
