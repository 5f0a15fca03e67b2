using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SbdServer.Capf;
using SbdServer.Core.Capf;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.DeviceManagement;
using SbdServer.Core.Diagnostics;
using SbdServer.Tvs;

namespace SbdServer.Host.Composition;

/// <summary>
/// The Certificate Authority Proxy Function on TCP 3804: TLS with this node's CAPF certificate from the certificate
/// store (hot reloaded after a regeneration), LSCs signed with the same certificate, sessions recorded on the device.
/// </summary>
internal static class CapfRegistration
{
    public static WebApplicationBuilder AddSbdCapf(this WebApplicationBuilder builder)
    {
        // Same mechanism as Tvs:AllowTls10 (docs/adr/0001-tvs-tls.md): before anything initialises OpenSSL.
        if (builder.Configuration.GetValue<bool>($"{CapfOptions.Section}:{nameof(CapfOptions.AllowTls10)}"))
        {
            TvsLegacyTls.EnableForProcess();
        }

        var services = builder.Services;
        services.AddOptions<CapfOptions>()
            .BindConfiguration(CapfOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => IPAddress.TryParse(o.Address, out _), "Capf:Address must be an IP address.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PeerWarnings>();
        services.AddSingleton<CapfCounters>();
        services.AddSingleton(sp => new CapfSessionLog(sp.GetRequiredService<IOptions<CapfOptions>>().Value.SessionLogCapacity));
        services.AddSingleton<ICapfCertificateSource>(sp => TvsTrustRegistration.LocalIdentity(sp, CertificateStores.Capf));
        services.AddSingleton<CapfService>();
        services.AddSingleton<CapfHostedService>();
        services.AddHostedService(sp => sp.GetRequiredService<CapfHostedService>());
        return builder;
    }
}
