using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SbdServer.Core.Capf;
using SbdServer.Listeners;

namespace SbdServer.Capf;

/// <summary>Runs the <see cref="CapfServer"/> for the lifetime of the host when CAPF is enabled and has a certificate.</summary>
public sealed class CapfHostedService(IServiceProvider services, IOptions<CapfOptions> options, ILogger<CapfHostedService> logger)
    : ListenerHostedService<CapfServer>(services)
{
    protected override bool Enabled => options.Value.Enabled;

    protected override bool HasCertificateSource(IServiceProvider services) =>
        services.GetService<ICapfCertificateSource>() is not null;

    protected override void OnNoCertificateSource() => CapfLog.NoCertificateSource(logger);
}
