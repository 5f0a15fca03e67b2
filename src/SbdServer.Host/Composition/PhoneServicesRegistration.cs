using SbdServer.Core.CertificateStore;
using SbdServer.Core.PhoneServices;
using SbdServer.Host.Auth;
using SbdServer.PhoneServices;
using SbdServer.Tvs;

namespace SbdServer.Host.Composition;

/// <summary>
/// HTTPS phone services on 8443 (directory, authentication URL) presenting this node's tomcat certificate from the
/// certificate store, checking users against the admin credentials and devices against the device table.
/// </summary>
internal static class PhoneServicesRegistration
{
    public static WebApplicationBuilder AddSbdPhoneServices(this WebApplicationBuilder builder)
    {
        // Same mechanism as Tvs:AllowTls10 (docs/adr/0001-tvs-tls.md): before anything initialises OpenSSL.
        if (builder.Configuration.GetValue<bool>($"{PhoneServicesOptions.Section}:{nameof(PhoneServicesOptions.AllowTls10)}"))
        {
            TvsLegacyTls.EnableForProcess();
        }

        builder.Services.AddSingleton<IPhoneServicesCertificateSource>(sp =>
            TvsTrustRegistration.LocalIdentity(sp, CertificateStores.Tomcat));
        builder.Services.AddSingleton<IPhoneUserAuthenticator, AdminPhoneUserAuthenticator>();
        builder.Services.AddSbdPhoneServices();
        return builder;
    }
}
