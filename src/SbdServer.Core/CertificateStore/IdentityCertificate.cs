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

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// Row version: 1 when added, incremented by each committed change; the store refuses a change read at another
    /// version (docs/adr/0003-cluster-writes.md, "Row versions").
    /// </summary>
    public long Version { get; set; } = 1;
}
