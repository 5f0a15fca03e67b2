using SbdServer.Wire.Itl;

namespace SbdServer.Core.CertificateStore;

/// <summary>
/// One record of the CTL as captured by <c>utils ctl set-cluster mixed-mode</c> or the last <c>utils ctl update</c>:
/// the CTL is served from these rows, not from the current certificates, so a certificate regenerated since stays
/// listed with its old certificate until the next update (cucm-reference scenario 20).
/// </summary>
public sealed class CtlCertificate : CertificateRecord
{
    /// <summary>Order of the record in the CTL.</summary>
    public int Position { get; set; }

    /// <summary>The node whose identity certificate this was; null for the cluster-wide ITLRecovery.</summary>
    public Guid? NodeId { get; set; }

    /// <summary>The identity certificate it was captured from (CallManager, ITLRecovery or CAPF).</summary>
    public string Name { get; set; } = "";

    public TrustRole Role { get; set; }

    /// <summary>
    /// For a signer (SAST) record: the signer's private key as captured, sealed like
    /// <see cref="IdentityCertificate.ProtectedKey"/>, so the CTL stays signed by the key its SAST record names even
    /// after that certificate is regenerated (CallManager signer mode). Empty for the other records, and in a backup
    /// made without the CallManager keys.
    /// </summary>
    public byte[] ProtectedKey { get; set; } = [];

    /// <summary>When the set was captured; also the CTL's header timestamp, so its bytes stay the same until an update.</summary>
    public DateTimeOffset CapturedAt { get; set; }

    /// <summary>Copies the certificate and its indexed facts from a stored certificate.</summary>
    public void CopyCertificate(CertificateRecord source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Der = [.. source.Der];
        SerialNumber = source.SerialNumber;
        Subject = source.Subject;
        Issuer = source.Issuer;
        NotBefore = source.NotBefore;
        NotAfter = source.NotAfter;
        Sha1 = source.Sha1;
        Sha256 = source.Sha256;
        Md5 = source.Md5;
    }
}
