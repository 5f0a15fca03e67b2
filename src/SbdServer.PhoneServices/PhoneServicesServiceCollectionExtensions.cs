using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SbdServer.Core.Diagnostics;

namespace SbdServer.PhoneServices;

/// <summary>
/// Composition of the HTTPS phone services. The host registers the ports this needs: an
/// <see cref="Core.PhoneServices.IPhoneServicesCertificateSource"/>, an
/// <see cref="Core.PhoneServices.IPhoneUserAuthenticator"/>, an <see cref="Core.Devices.IDeviceStore"/> and the
/// <see cref="Core.Cluster.LocalNodeOptions"/>.
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
        services.AddSingleton<PhoneServicesService>();
        services.AddHostedService(sp => sp.GetRequiredService<PhoneServicesService>());
        return services;
    }
}
