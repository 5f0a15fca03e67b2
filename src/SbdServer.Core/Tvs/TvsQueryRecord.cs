using SbdServer.Wire.Itl;
using SbdServer.Wire.Tvs;

namespace SbdServer.Core.Tvs;

/// <summary>One answered TVS request: what phone X asked and what TVS answered (for the admin).</summary>
public sealed record TvsQueryRecord(
    DateTimeOffset At,
    string RemoteAddress,
    string DeviceName,
    TvsCommand Command,
    string? CertificateSha256,
    string? SubjectName,
    string? IssuerName,
    string? SerialHex,
    TvsStatus Status,
    TvsOutcome Outcome,
    IReadOnlyList<TrustRole> Roles,
    uint? TtlSeconds,
    double DurationMilliseconds);
