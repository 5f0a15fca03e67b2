using SbdServer.Tvs;

namespace SbdServer.Host.Composition;

/// <summary>
/// The Trust Verification Service (SbdServer.Tvs, <see cref="TvsServiceCollectionExtensions.AddSbdTvsServer"/>): its
/// trust store and certificate come from the certificate store when <see cref="TvsTrustRegistration"/> ran first.
/// </summary>
internal static class TvsRegistration
{
    public static WebApplicationBuilder AddSbdTvs(this WebApplicationBuilder builder)
    {
        builder.Services.AddSbdTvsServer(builder.Configuration);
        return builder;
    }
}
