using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SbdServer.Core.Capf;
using SbdServer.Core.DeviceManagement;
using SbdServer.Core.Diagnostics;

namespace SbdServer.Capf;

/// <summary>
/// Composition of the CAPF listener. The host registers the ports it needs: an <see cref="ICapfCertificateSource"/>
/// (the node's CAPF certificate, which also signs the LSCs) and the device store <see cref="CapfService"/> works on.
/// </summary>
public static class CapfServiceCollectionExtensions
{
    /// <summary>
    /// Registers options (section <c>Capf</c>, validated at start), the session use case, counters, session log and
    /// the TLS listener. <c>Capf:AllowTls10</c> is the host's to apply before OpenSSL starts, as for TVS.
    /// </summary>
    public static IServiceCollection AddSbdCapfServer(this IServiceCollection services)
    {
        services.AddOptions<CapfOptions>()
            .BindConfiguration(CapfOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CapfOptions>, CapfOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PeerWarnings>();
        services.AddSingleton<CapfCounters>();
        services.AddSingleton(sp => new CapfSessionLog(sp.GetRequiredService<IOptions<CapfOptions>>().Value.SessionLogCapacity));
        services.AddSingleton<CapfService>();
        services.AddSingleton<CapfHostedService>();
        services.AddHostedService(sp => sp.GetRequiredService<CapfHostedService>());
        return services;
    }
}
