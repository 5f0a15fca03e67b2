using SbdServer.Wire.Tvs;

namespace SbdServer.Core.Tvs;

/// <summary>The answer to send plus what the logs and the query log need to explain it.</summary>
public sealed record TvsDecision(TvsResponse Response, TvsOutcome Outcome, string? CertificateSha256, TvsTrustEntry? Entry);
