using SbdServer.Capf;
using SbdServer.Core.Capf;
using SbdServer.Core.CertificateStore;
using SbdServer.Tvs;

namespace SbdServer.Host.Composition;

/// <summary>
/// The Certificate Authority Proxy Function on TCP 3804 (SbdServer.Capf): TLS with this node's CAPF certificate from
/// the certificate store (hot reloaded after a regeneration), LSCs signed with the same certificate, sessions
/// recorded on the device.
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

        builder.Services.AddSbdCapfServer();
        builder.Services.AddSingleton<ICapfCertificateSource>(sp => TvsTrustRegistration.LocalIdentity(sp, CertificateStores.Capf));
        return builder;
    }
}
