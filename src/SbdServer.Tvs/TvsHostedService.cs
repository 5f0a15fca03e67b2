using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SbdServer.Core.Tvs;
using SbdServer.Listeners;

namespace SbdServer.Tvs;

/// <summary>Runs the <see cref="TvsServer"/> for the lifetime of the host when TVS is enabled and has a certificate.</summary>
public sealed class TvsHostedService(IServiceProvider services, IOptions<TvsOptions> options, ILogger<TvsHostedService> logger)
    : ListenerHostedService<TvsServer>(services)
{
    protected override bool Enabled => options.Value.Enabled;

    protected override bool HasCertificateSource(IServiceProvider services) =>
        services.GetService<ITvsCertificateSource>() is not null;

    protected override void OnNoCertificateSource() => TvsLog.NoCertificateSource(logger);
}
