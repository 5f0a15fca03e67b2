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
        builder.Services.AddSingleton<ITvsCertificateSource, SecurityStoreTvsCertificateSource>();
        return builder;
    }
}
