using SbdServer.Core.Certificates;

namespace SbdServer.Core.CertificateStore;

/// <summary>A node's own certificate (CallManager, TVS, CAPF, tomcat, ipsec, ITLRecovery) and its encrypted key.</summary>
public sealed class IdentityCertificate : CertificateRecord
{
    public Guid NodeId { get; set; }

    /// <summary>One of <see cref="CertificateStores.Identities"/>.</summary>
    public string Name { get; set; } = "";

    public KeyAlgorithm KeyAlgorithm { get; set; }

    /// <summary>PKCS#8 private key sealed by <see cref="IKeyProtector"/>; never stored in clear.</summary>
    public byte[] ProtectedKey { get; set; } = [];

    /// <summary>Key of an outstanding CSR, sealed like <see cref="ProtectedKey"/>; null when no CSR is pending.</summary>
    public byte[]? PendingCsrKey { get; set; }

    /// <summary>
    /// The outstanding PKCS#10 CSR (DER) for <see cref="PendingCsrKey"/>, kept so it can be downloaded again until the
    /// CA-signed certificate comes back; null when none is pending or for a key pending from before CSRs were kept.
    /// </summary>
    public byte[]? PendingCsr { get; set; }

    /// <summary>When the pending CSR was generated; null when none is pending.</summary>
    public DateTimeOffset? PendingCsrAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// Row version: 1 when added, incremented by each committed change; the store refuses a change read at another
    /// version (docs/adr/0003-cluster-writes.md, "Row versions").
    /// </summary>
    public long Version { get; set; } = 1;
}
