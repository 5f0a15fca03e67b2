namespace SbdServer.Core.Impact;

/// <summary>An identity certificate of a node that changes (or changed since the last ITL propagation).</summary>
public sealed record CertificateChange(string Node, string Certificate);
