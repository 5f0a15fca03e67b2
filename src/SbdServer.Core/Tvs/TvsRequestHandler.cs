using System.Security.Cryptography;
using SbdServer.Wire.Tvs;

namespace SbdServer.Core.Tvs;

/// <summary>
/// Turns a TVS request into a response. Pure apart from the trust store lookup. Fails closed: unknown, expired,
/// not-yet-valid and role-less certificates all get STATUS 1 alone, indistinguishable on the wire. Trust store
/// failures propagate so the connection closes without an answer.
/// </summary>
public sealed class TvsRequestHandler(ITvsTrustStore trustStore, TimeProvider timeProvider)
{
    public async ValueTask<TvsDecision> HandleAsync(TvsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        switch (request)
        {
            case TvsVerifyRequest verify:
                {
                    var sha256 = Convert.ToHexStringLower(SHA256.HashData(verify.Certificate.Span));
                    var entry = await trustStore.FindBySha256Async(sha256, cancellationToken);
                    return Decide(request, entry, sha256, includeCertificate: false);
                }

            case TvsQueryRequest query:
                {
                    var serial = TvsLookupKey.NormalizeSerial(query.SerialNumber.Span);
                    var entry = await trustStore.FindByIssuerAndSerialAsync(query.IssuerName, serial, cancellationToken);
                    return Decide(request, entry, entry?.Sha256Hex, includeCertificate: true);
                }

            default:
                throw new ArgumentException($"Unsupported request type {request.GetType().Name}.", nameof(request));
        }
    }

    private TvsDecision Decide(TvsRequest request, TvsTrustEntry? entry, string? sha256, bool includeCertificate)
    {
        var command = TvsResponse.ResponseCommandFor(request.Command);
        var now = timeProvider.GetUtcNow();
        var outcome = entry switch
        {
            null => TvsOutcome.Unknown,
            _ when now < entry.NotBefore => TvsOutcome.NotYetValid,
            _ when now > entry.NotAfter => TvsOutcome.Expired,
            { Roles.Count: 0 } => TvsOutcome.NoPhoneRoles,
            _ => TvsOutcome.Valid,
        };

        if (outcome != TvsOutcome.Valid || entry is null)
        {
            return new TvsDecision(TvsResponse.Invalid(command, request.SessionId), outcome, sha256, entry);
        }

        var roles = new byte[entry.Roles.Count];
        for (var i = 0; i < roles.Length; i++)
        {
            roles[i] = (byte)entry.Roles[i];
        }

        var response = new TvsResponse(
            command,
            request.SessionId,
            TvsStatus.Valid,
            includeCertificate ? entry.CertificateDer : ReadOnlyMemory<byte>.Empty,
            roles,
            entry.TtlSeconds);
        return new TvsDecision(response, outcome, sha256, entry);
    }
}
