using SbdServer.Core.Certificates;

namespace SbdServer.Core.CertificateStore;

/// <summary>A stored certificate: its DER bytes and the facts indexed for lookup.</summary>
public abstract class CertificateRecord
{
    public Guid Id { get; set; }

    public byte[] Der { get; set; } = [];

    public string SerialNumber { get; set; } = "";

    public string Subject { get; set; } = "";

    public string Issuer { get; set; } = "";

    public DateTimeOffset NotBefore { get; set; }

    public DateTimeOffset NotAfter { get; set; }

    public string Sha1 { get; set; } = "";

    public string Sha256 { get; set; } = "";

    public string Md5 { get; set; } = "";

    /// <summary>Largest DER certificate the store keeps; real ones are under 4 KiB.</summary>
    public const int MaxDerLength = 64 * 1024;

    /// <summary>Sets <see cref="Der"/> and the facts read from it.</summary>
    public void SetCertificate(byte[] der, CertificateFacts facts)
    {
        Der = der;
        SerialNumber = facts.SerialNumber;
        Subject = facts.Subject;
        Issuer = facts.Issuer;
        NotBefore = facts.NotBefore;
        NotAfter = facts.NotAfter;
        Sha1 = facts.Sha1;
        Sha256 = facts.Sha256;
        Md5 = facts.Md5;
    }
}
