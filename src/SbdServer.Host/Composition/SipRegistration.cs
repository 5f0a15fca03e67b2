using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Diagnostics;
using SbdServer.Sip;
using SbdServer.Tvs;

namespace SbdServer.Host.Composition;

/// <summary>
/// The secure SIP port (TLS 5061, off unless <c>Sip:Enabled</c>): this node's CallManager certificate from the
/// certificate store, hot reloaded after a regeneration, and REGISTER answered for the cluster's secure devices.
/// </summary>
internal static class SipRegistration
{
    public static WebApplicationBuilder AddSbdSip(this WebApplicationBuilder builder)
    {
        // Same mechanism as Tvs:AllowTls10 (docs/adr/0001-tvs-tls.md): before anything initialises OpenSSL.
        if (builder.Configuration.GetValue<bool>($"{SipOptions.Section}:{nameof(SipOptions.AllowTls10)}"))
        {
            TvsLegacyTls.EnableForProcess();
        }

        var services = builder.Services;
        services.AddOptions<SipOptions>()
            .BindConfiguration(SipOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => IPAddress.TryParse(o.Address, out _), "Sip:Address must be an IP address.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PeerWarnings>();
        services.AddSingleton(sp => new SipCertificate(TvsTrustRegistration.LocalIdentity(sp, CertificateStores.CallManager)));
        services.AddSingleton<SipHostedService>();
        services.AddHostedService(sp => sp.GetRequiredService<SipHostedService>());
        return builder;
    }
}
