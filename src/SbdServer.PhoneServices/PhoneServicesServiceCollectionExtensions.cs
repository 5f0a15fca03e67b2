using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace SbdServer.PhoneServices;

/// <summary>
/// Composition of the HTTPS listener and the phone services. The host registers the ports this needs: an
/// <see cref="Core.PhoneServices.IPhoneServicesCertificateSource"/>, an
/// <see cref="Core.PhoneServices.IPhoneUserAuthenticator"/>, an <see cref="Core.Devices.IDeviceStore"/> and the
/// <see cref="Core.Cluster.LocalNodeOptions"/>; it maps the routes with
/// <see cref="PhoneServicesEndpoints.MapSbdPhoneServices"/>.
/// </summary>
public static class PhoneServicesServiceCollectionExtensions
{
    public static IServiceCollection AddSbdPhoneServices(this IServiceCollection services)
    {
        services.AddOptions<PhoneServicesOptions>()
            .BindConfiguration(PhoneServicesOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PhoneServicesOptions>, PhoneServicesOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PhoneServicesListener>();
        services.AddHostedService(sp => sp.GetRequiredService<PhoneServicesListener>());
        return services;
    }

    /// <summary>Adds the HTTPS endpoint to the web host's Kestrel (ignored under a test server).</summary>
    public static IWebHostBuilder UseSbdPhoneServicesHttps(this IWebHostBuilder webHost)
    {
        ArgumentNullException.ThrowIfNull(webHost);
        return webHost.ConfigureKestrel(kestrel =>
            kestrel.ApplicationServices.GetRequiredService<PhoneServicesListener>().Configure(kestrel));
    }
}
