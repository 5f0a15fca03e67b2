using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace SbdServer.Admin;

/// <summary>
/// The admin web UI under <c>/admin</c>: server-rendered Razor Pages over the Core use cases, no script. The host
/// registers <see cref="Status.INodeStatus"/> and the Core services the pages take.
/// </summary>
public static class AdminUiRegistration
{
    public const string BasePath = "/admin";

    public static IServiceCollection AddSbdAdminUi(this IServiceCollection services)
    {
        services.AddRazorPages().AddApplicationPart(typeof(AdminUiRegistration).Assembly);
        services.AddSingleton<Backup.PendingRestores>();
        return services;
    }

    public static IEndpointRouteBuilder MapSbdAdminUi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/", () => Results.Redirect(BasePath)).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapGet(BasePath + "/assets/{name}", (string name) => Asset(name)).AllowAnonymous().ExcludeFromDescription();

        // Browsers ask for it on every site; without it each page would log a failed request in the console.
        endpoints.MapGet("/favicon.ico", () => Asset("favicon.svg")).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapRazorPages();
        return endpoints;
    }

    private static readonly Dictionary<string, (byte[] Bytes, string Type)> Assets = LoadAssets();

    private static IResult Asset(string name) =>
        Assets.TryGetValue(name, out var asset)
            ? Results.Bytes(asset.Bytes, asset.Type)
            : Results.NotFound();

    private static Dictionary<string, (byte[], string)> LoadAssets()
    {
        const string prefix = "SbdServer.Admin.Assets.";
        var assembly = typeof(AdminUiRegistration).Assembly;
        var result = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var name = resource[prefix.Length..];
            var type = Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            };
            result[name] = (copy.ToArray(), type);
        }

        return result;
    }
}
