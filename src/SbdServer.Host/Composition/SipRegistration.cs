using SbdServer.Core.CertificateStore;
using SbdServer.Listeners;
using SbdServer.Sip;

namespace SbdServer.Host.Composition;

/// <summary>
/// The secure SIP port (TLS 5061, off unless <c>Sip:Enabled</c>; SbdServer.Sip): this node's CallManager certificate
/// from the certificate store, hot reloaded after a regeneration, and REGISTER answered for the cluster's devices.
/// </summary>
internal static class SipRegistration
{
    public static WebApplicationBuilder AddSbdSip(this WebApplicationBuilder builder)
    {
        // Same mechanism as Tvs:AllowTls10 (docs/adr/0001-tvs-tls.md): before anything initialises OpenSSL.
        if (builder.Configuration.GetValue<bool>($"{SipOptions.Section}:{nameof(SipOptions.AllowTls10)}"))
        {
            LegacyTls.EnableForProcess();
        }

        builder.Services.AddSbdSipServer();
        builder.Services.AddSingleton(sp => new SipCertificate(TvsTrustRegistration.LocalIdentity(sp, CertificateStores.CallManager)));
        return builder;
    }
}
