using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SbdServer.Core.Diagnostics;
using SbdServer.Core.Tvs;
using SbdServer.Tvs;

namespace SbdServer.Host.Composition;

/// <summary>
/// The Trust Verification Service: options, the cached trust store over whatever <see cref="ITvsTrustSource"/> is
/// registered (certificate management registers its own before this runs; otherwise an in-memory source filled
/// from <c>Tvs:TrustFiles</c>), the request handler, counters, query log and the TLS listener.
/// </summary>
internal static class TvsRegistration
{
    public static WebApplicationBuilder AddSbdTvs(this WebApplicationBuilder builder)
    {
        // Before anything initialises OpenSSL: TLS 1.0 needs the process-wide security level lowered.
        if (builder.Configuration.GetValue<bool>($"{TvsOptions.Section}:{nameof(TvsOptions.AllowTls10)}"))
        {
            TvsLegacyTls.EnableForProcess();
        }

        var services = builder.Services;
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

        var pem = builder.Configuration[$"{TvsOptions.Section}:{nameof(TvsOptions.CertificatePem)}"];
        if (!string.IsNullOrWhiteSpace(pem))
        {
            services.TryAddSingleton<ITvsCertificateSource>(_ => new PemFileTvsCertificateSource(pem));
        }

        services.AddSingleton<TvsHostedService>();
        services.AddHostedService(sp => sp.GetRequiredService<TvsHostedService>());
        return builder;
    }
}
