namespace SbdServer.Core.CertificateStore;

/// <summary>A certificate uploaded to a cluster-wide trust store (CallManager-trust, Phone-SAST-trust, ...).</summary>
public sealed class TrustCertificate : CertificateRecord
{
    /// <summary>One of <see cref="CertificateStores.TrustStores"/>.</summary>
    public string Store { get; set; } = "";

    public DateTimeOffset AddedAt { get; set; }
}
