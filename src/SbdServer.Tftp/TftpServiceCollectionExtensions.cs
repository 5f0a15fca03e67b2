using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SbdServer.Core.Diagnostics;
using SbdServer.Core.Tftp;
using SbdServer.Tftp.Diagnostics;
using SbdServer.Tftp.Http;
using SbdServer.Tftp.Sources;

namespace SbdServer.Tftp;

/// <summary>Composition of the TFTP service; the host calls <see cref="AddSbdTftpServer"/> and maps the metrics.</summary>
public static class TftpServiceCollectionExtensions
{
    /// <summary>
    /// Registers options (section "Tftp", validated at start), the catalogue over every registered
    /// <see cref="ITftpFileSource"/> (a provisioning module adds its generated source the same way), the static root
    /// and alternate-location sources when configured, the UDP server and the HTTP 6970 endpoint.
    /// </summary>
    public static IServiceCollection AddSbdTftpServer(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(TftpOptions.Section);
        services.AddOptions<TftpOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<TftpOptions>, TftpOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TftpMetrics>();
        services.TryAddSingleton<PeerWarnings>();
        services.TryAddSingleton(sp => new TftpCatalogue(sp.GetServices<ITftpFileSource>()));

        var configured = section.Get<TftpOptions>() ?? new TftpOptions();
        if (!configured.Enabled)
        {
            return services;
        }

        if (!string.IsNullOrWhiteSpace(configured.Root))
        {
            services.AddSingleton<ITftpFileSource>(sp =>
            {
                var o = sp.GetRequiredService<IOptions<TftpOptions>>().Value;
                return new StaticRootFileSource(o.Root, o.MaxInMemoryFileBytes);
            });
        }

        if (configured.AlternateLocations.Count > 0)
        {
            services.AddSingleton<ITftpFileSource>(sp =>
            {
                var o = sp.GetRequiredService<IOptions<TftpOptions>>().Value;
                return new AlternateLocationsFileSource(o.AlternateLocations,
                    TimeSpan.FromMilliseconds(o.AlternateTimeoutMs), o.AlternateMaxFileBytes,
                    sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILoggerFactory>().CreateLogger<AlternateLocationsFileSource>());
            });
        }

        services.AddSingleton<TftpServerService>();
        services.AddHostedService(sp => sp.GetRequiredService<TftpServerService>());
        if (configured.HttpEnabled)
        {
            services.AddSingleton<TftpHttpService>();
            services.AddHostedService(sp => sp.GetRequiredService<TftpHttpService>());
        }

        return services;
    }
}
