namespace SbdServer.Core.Certificates;

/// <summary>
/// Outcome of a trust check. A refusal is an answer, not an exception: <see cref="Reason"/> explains it to an operator.
/// </summary>
/// <param name="Rejection"><see cref="TrustRejection.None"/> when accepted.</param>
/// <param name="Reason">Operator-facing reason for a refusal.</param>
/// <param name="Facts">Facts of the checked certificate; null only when it could not be parsed.</param>
/// <param name="Chain">For accepted CA-signed certificates: leaf first, trust anchor last (DER); otherwise empty.</param>
public sealed record TrustValidationResult(
    TrustRejection Rejection,
    string? Reason,
    CertificateFacts? Facts,
    IReadOnlyList<byte[]> Chain)
{
    public bool IsValid => Rejection == TrustRejection.None;

    public static TrustValidationResult Accept(CertificateFacts facts, IReadOnlyList<byte[]>? chain = null) =>
        new(TrustRejection.None, null, facts, chain ?? []);

    public static TrustValidationResult Reject(TrustRejection rejection, string reason, CertificateFacts? facts = null) =>
        new(rejection, reason, facts, []);
}
