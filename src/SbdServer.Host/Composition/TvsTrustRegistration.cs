using SbdServer.Core.CertificateManagement;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Events;
using SbdServer.Core.Tvs;

namespace SbdServer.Host.Composition;

/// <summary>
/// Points TVS at the certificate store: the trust store TVS answers from and the TVS.pem it presents. Must run
/// before <see cref="TvsRegistration.AddSbdTvs"/>, whose registrations are fallbacks for a store-less host.
/// </summary>
internal static class TvsTrustRegistration
{
    public static WebApplicationBuilder AddSbdTvsFromCertificateStore(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ITvsTrustSource, SecurityStoreTvsTrustSource>();
        builder.Services.AddSingleton<ITvsCertificateSource>(sp => LocalIdentity(sp, CertificateStores.Tvs));
        return builder;
    }

    /// <summary>This node's identity certificate <paramref name="name"/> as a listener's certificate source.</summary>
    internal static LocalIdentityCertificateSource LocalIdentity(IServiceProvider services, string name) => new(
        services.GetRequiredService<CertificateQueries>(), services.GetRequiredService<ICertificateStoreEvents>(),
        services.GetRequiredService<LocalNodeOptions>(), name);
}
