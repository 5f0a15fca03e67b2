using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SbdServer.Core.Cluster;
using SbdServer.Core.Devices;
using SbdServer.Core.PhoneServices;
using SbdServer.PhoneServices.Authentication;
using SbdServer.PhoneServices.CorporateDirectory;

namespace SbdServer.PhoneServices;

/// <summary>
/// The phone routes (<c>/ccmcip/xmldirectory.jsp</c>, <c>xmldirectorylist.jsp</c>, <c>authenticate.jsp</c>), open to
/// phones without the admin, answered only on the HTTPS listener.
/// </summary>
public static class PhoneServicesEndpoints
{
    public const string AuthenticatePath = "/ccmcip/authenticate.jsp";

    /// <summary>Phones post a handful of short fields; anything larger is refused before it is read.</summary>
    public const long MaxRequestBodyBytes = 8 * 1024;

    public static IEndpointRouteBuilder MapSbdPhoneServices(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;

        // Built on the first request, not when mapped: the authenticator and the device store reach the security
        // state, which must not be created before the start-up checks (a refused first start leaves nothing behind).
        var handlers = new Lazy<(DirectoryEndpoint Directory, AuthenticateEndpoint Authenticate)>(() =>
        {
            var settings = services.GetRequiredService<IOptions<PhoneServicesOptions>>().Value;
            var listener = services.GetRequiredService<PhoneServicesListener>();
            var node = services.GetRequiredService<LocalNodeOptions>();

            // This node as phones reach it (the FQDN of the "Secured" URL parameters) and the port actually bound.
            var directory = new DirectoryEndpoint(
                new PhoneDirectory(settings.Directory),
                () => $"https://{node.Fqdn}:{listener.LocalEndPoint?.Port ?? settings.Port}");
            var authenticate = new AuthenticateEndpoint(
                services.GetRequiredService<IPhoneUserAuthenticator>(),
                services.GetRequiredService<IDeviceStore>(),
                new FailedAuthenticationLimiter(
                    services.GetRequiredService<TimeProvider>(), settings.MaxFailedAuthentications, settings.FailedAuthenticationWindow),
                listener.Warnings,
                services.GetRequiredService<ILogger<PhoneServicesListener>>());
            return (directory, authenticate);
        });

        // Any method, then an exact (case-sensitive) dispatch: CUCM answers 404 to everything it does not serve,
        // where routing alone would answer 405 or match another case.
        RequestDelegate dispatch = context => DispatchAsync(context, handlers.Value.Directory, handlers.Value.Authenticate);
        foreach (var path in new[] { DirectoryEndpoint.FormPath, DirectoryEndpoint.ListPath, AuthenticatePath })
        {
            endpoints.Map(path, dispatch).AllowAnonymous().WithDisplayName("phone services " + path).ExcludeFromDescription();
        }

        return endpoints;
    }

    private static Task DispatchAsync(HttpContext context, DirectoryEndpoint directory, AuthenticateEndpoint authenticate)
    {
        if (!context.Request.IsHttps)
        {
            // The plain admin endpoint (--urls) never carries phone credentials.
            return NotFoundAsync(context);
        }

        if (context.Request.ContentLength > MaxRequestBodyBytes)
        {
            return AnswerAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large\n");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxRequestBodyBytes;
        }

        var path = context.Request.Path.Value;
        var method = context.Request.Method;
        return path switch
        {
            DirectoryEndpoint.FormPath when HttpMethods.IsGet(method) => directory.HandleAsync(context, alwaysList: false),
            DirectoryEndpoint.ListPath when HttpMethods.IsGet(method) => directory.HandleAsync(context, alwaysList: true),
            AuthenticatePath when HttpMethods.IsGet(method) || HttpMethods.IsPost(method) => authenticate.HandleAsync(context),
            _ => NotFoundAsync(context),
        };
    }

    private static Task NotFoundAsync(HttpContext context) =>
        AnswerAsync(context, StatusCodes.Status404NotFound, "Not found\n");

    private static async Task AnswerAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(text, context.RequestAborted);
    }
}
