namespace SbdServer.Core.Events;

/// <summary>One change to the security state, as subscribers (TFTP cache, TVS) see it.</summary>
// Origin: Instance id of the process that made the change.
// Node: Node name for node-scoped changes.
// Name: Certificate name, trust store or parameter name.
// Sha256: Fingerprint of the certificate concerned, when there is one.
public sealed record CertificateStoreChange(
    CertificateStoreChangeKind Kind,
    Guid Origin,
    string? Node,
    string? Name,
    string? Sha256,
    DateTimeOffset At);
