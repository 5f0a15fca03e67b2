using SbdServer.Wire.Itl;

namespace SbdServer.Core.Tvs;

/// <summary>
/// What the TVS trust store knows about one certificate: the union of the roles of every store holding it, the
/// TTL to hand out, and the facts needed to answer a QUERY and to refuse an expired certificate.
/// </summary>
public sealed record TvsTrustEntry(
    ReadOnlyMemory<byte> CertificateDer,
    string Sha256Hex,
    string Subject,
    string Issuer,
    string SerialHex,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    IReadOnlyList<TrustRole> Roles,
    uint TtlSeconds,
    IReadOnlyList<string> Stores);
