using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SbdServer.Core.Diagnostics;

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
        services.TryAddSingleton<PeerWarnings>();
        services.AddSingleton(sp => new PhoneServicesListener(
            sp.GetRequiredService<IOptions<PhoneServicesOptions>>(),
            () => sp.GetRequiredService<Core.PhoneServices.IPhoneServicesCertificateSource>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<PhoneServicesListener>>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<PeerWarnings>(),
            sp,
            sp.GetService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>()));
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
