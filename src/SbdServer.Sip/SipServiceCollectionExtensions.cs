using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SbdServer.Core.DeviceManagement;
using SbdServer.Core.Diagnostics;

namespace SbdServer.Sip;

/// <summary>
/// Composition of the secure SIP port. The host registers the ports it needs: a <see cref="SipCertificate"/> (the
/// node's CallManager certificate), the device store REGISTER is answered from, and the security store whose CAPF
/// certificates and CAPF-trust / CallManager-trust a phone's certificate is checked against.
/// </summary>
public static class SipServiceCollectionExtensions
{
    /// <summary>
    /// Registers options (section <c>Sip</c>, validated at start) and the TLS listener, which runs only when
    /// <c>Sip:Enabled</c> is on. <c>Sip:AllowTls10</c> is the host's to apply before OpenSSL starts, as for TVS.
    /// </summary>
    public static IServiceCollection AddSbdSipServer(this IServiceCollection services)
    {
        services.AddOptions<SipOptions>()
            .BindConfiguration(SipOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => IPAddress.TryParse(o.Address, out _), "Sip:Address must be an IP address.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PeerWarnings>();
        services.TryAddSingleton<PhoneCertificateTrust>();
        services.AddSingleton<SipHostedService>();
        services.AddHostedService(sp => sp.GetRequiredService<SipHostedService>());
        return services;
    }
}
