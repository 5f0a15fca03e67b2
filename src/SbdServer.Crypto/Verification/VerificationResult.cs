namespace SbdServer.Crypto.Verification;

/// <summary>
/// Outcome of checking a signed file. <see cref="SignerRecordIndex"/> is the index of the trust-list record whose
/// key signed the file (null for .sgn/.enc.sgn or when no record matches).
/// </summary>
public sealed record VerificationResult(bool IsValid, string Message, int? SignerRecordIndex = null);
