using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SbdServer.Core.Diagnostics;
using SbdServer.Core.Tvs;

namespace SbdServer.Tvs;

/// <summary>Composition of the Trust Verification Service; the host calls <see cref="AddSbdTvsServer"/>.</summary>
public static class TvsServiceCollectionExtensions
{
    /// <summary>
    /// Registers options (section <c>Tvs</c>, validated at start), the cached trust store over whatever
    /// <see cref="ITvsTrustSource"/> is registered (certificate management registers its own before this runs;
    /// otherwise an in-memory source filled from <c>Tvs:TrustFiles</c>), the request handler, counters, query log, the
    /// certificate from <c>Tvs:CertificatePem</c> when no other source is registered, and the TLS listener.
    /// </summary>
    /// <remarks>
    /// <c>Tvs:AllowTls10</c> is applied here, at registration: TLS 1.0 needs the process-wide OpenSSL security level
    /// lowered before anything initialises OpenSSL (docs/adr/0001-tvs-tls.md).
    /// </remarks>
    public static IServiceCollection AddSbdTvsServer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(TvsOptions.Section);
        if (section.GetValue<bool>(nameof(TvsOptions.AllowTls10)))
        {
            TvsLegacyTls.EnableForProcess();
        }

        // Bound from the service provider's configuration when first used, so a test host's settings still apply.
        services.AddOptions<TvsOptions>()
            .BindConfiguration(TvsOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => IPAddress.TryParse(o.Address, out _), "Tvs:Address must be an IP address.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TvsCounters>();
        services.TryAddSingleton<PeerWarnings>();
        services.TryAddSingleton(sp => new TvsQueryLog(sp.GetRequiredService<IOptions<TvsOptions>>().Value.QueryLogCapacity));
        services.TryAddSingleton(sp =>
        {
            var source = new InMemoryTvsTrustSource();
            source.ReplaceAll(TvsTrustFileLoader.Load(sp.GetRequiredService<IOptions<TvsOptions>>().Value.TrustFiles));
            return source;
        });
        services.TryAddSingleton<ITvsTrustSource>(sp => sp.GetRequiredService<InMemoryTvsTrustSource>());
        services.TryAddSingleton<ITvsTrustStore>(sp => new CachedTvsTrustStore(
            sp.GetRequiredService<ITvsTrustSource>(),
            sp.GetRequiredService<IOptions<TvsOptions>>().Value.DefaultTtlSeconds));
        services.TryAddSingleton<TvsRequestHandler>();

        if (section[nameof(TvsOptions.CertificatePem)] is { } pem && !string.IsNullOrWhiteSpace(pem))
        {
            services.TryAddSingleton<ITvsCertificateSource>(_ => new PemFileTvsCertificateSource(pem));
        }

        services.AddSingleton<TvsHostedService>();
        services.AddHostedService(sp => sp.GetRequiredService<TvsHostedService>());
        return services;
    }
}
