using SbdServer.Wire.Itl;

namespace SbdServer.Core.Tvs;

/// <summary>
/// One certificate in one store, as a trust source delivers it. <paramref name="Roles"/> overrides the store's
/// roles (used for CTL entries in mixed mode, whose roles come from the CTL record); <paramref name="TtlSeconds"/>
/// overrides the default TTL.
/// </summary>
public sealed record TvsTrustCertificate(
    string Store,
    ReadOnlyMemory<byte> CertificateDer,
    IReadOnlyList<TrustRole>? Roles = null,
    uint? TtlSeconds = null);
