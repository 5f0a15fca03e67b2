using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SbdServer.Listeners;

namespace SbdServer.Sip;

/// <summary>Runs the <see cref="SipServer"/> for the lifetime of the host when <c>Sip:Enabled</c> is on.</summary>
public sealed class SipHostedService(IServiceProvider services, IOptions<SipOptions> options, ILogger<SipHostedService> logger)
    : ListenerHostedService<SipServer>(services)
{
    protected override bool Enabled => options.Value.Enabled;

    protected override bool HasCertificateSource(IServiceProvider services) => services.GetService<SipCertificate>() is not null;

    protected override void OnNoCertificateSource() => SipLog.NoCertificateSource(logger);
}
