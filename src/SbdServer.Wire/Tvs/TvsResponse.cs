namespace SbdServer.Wire.Tvs;

/// <summary>
/// A TVS answer. A valid VERIFY answer carries STATUS, ROLES, TTL; a valid QUERY answer also the certificate DER.
/// An invalid answer carries STATUS 1 alone (use <see cref="Invalid"/>).
/// </summary>
public sealed record TvsResponse(
    TvsCommand Command,
    uint SessionId,
    TvsStatus Status,
    ReadOnlyMemory<byte> Certificate,
    ReadOnlyMemory<byte> Roles,
    uint? TtlSeconds)
{
    /// <summary>STATUS 1 and nothing else: what both unknown and untrusted certificates look like on the wire.</summary>
    public static TvsResponse Invalid(TvsCommand responseCommand, uint sessionId) =>
        new(responseCommand, sessionId, TvsStatus.Invalid, ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty, null);

    /// <summary>The response command that answers <paramref name="request"/>.</summary>
    public static TvsCommand ResponseCommandFor(TvsCommand request) => request switch
    {
        TvsCommand.VerifyRequest => TvsCommand.VerifyResponse,
        TvsCommand.QueryRequest => TvsCommand.QueryResponse,
        TvsCommand.VerifyResponse or TvsCommand.QueryResponse =>
            throw new ArgumentOutOfRangeException(nameof(request), request, "Not a request command."),
        _ => throw new ArgumentOutOfRangeException(nameof(request), request, "Unknown command."),
    };
}
