namespace SbdServer.Core.Impact;

/// <summary>How the phones of one CallManager group fare.</summary>
// ItlSigner: Certificate that signs the ITL these phones load next, as <c>node/name</c> (or <c>ITLRecovery</c>).
// SignerChanges: True when the phones' next ITL has a signer their current ITL does not know.
// TrustedTvsNodes: TVS nodes whose certificate the phones' current ITL still matches.
// PhonesLocked: True when the phones can neither verify the new signer nor ask a trusted TVS.
public sealed record GroupImpact(
    string Group,
    string? TftpNode,
    string? ItlSigner,
    bool SignerChanges,
    IReadOnlyList<string> TrustedTvsNodes,
    bool PhonesLocked)
{
    /// <summary>The TVS servers these phones ask, in order: the group's nodes running TVS, then the TFTP node.</summary>
    public IReadOnlyList<string> TvsNodes { get; init; } = [];
}
