using System.Security.Cryptography.X509Certificates;
using SbdServer.Wire.Dn;
using SbdServer.Wire.Signed;

namespace SbdServer.Wire.Itl;

/// <summary>Makes records in CUCM's shape from certificates.</summary>
public static class TrustListRecordFactory
{
    /// <summary>Tag 12 value for a SHA-1 certificate hash.</summary>
    public const byte Sha1HashAlgorithm = 1;

    /// <summary>
    /// A record for <paramref name="certificate"/> in <paramref name="role"/>. In CUCM's ITL shape SAST, CCM,
    /// CCM+TFTP, TFTP, APP-SERVER (and other roles) carry the full certificate and TVS and CAPF the SHA-1 hash
    /// instead; <paramref name="fullCertificate"/> overrides that (CTL records always carry the certificate).
    /// </summary>
    public static TrustListRecord FromCertificate(
        X509Certificate2 certificate,
        TrustRole role,
        string dnsName = "",
        byte[]? ipAddress = null,
        bool? fullCertificate = null)
    {
        var full = fullCertificate ?? TrustRoles.CarriesCertificate(role);
        return new TrustListRecord
        {
            DnsName = dnsName,
            SubjectName = DistinguishedNames.ToCucm(certificate.SubjectName),
            Role = role,
            IssuerName = DistinguishedNames.ToCucm(certificate.IssuerName),
            SerialNumber = CertificateFacts.SerialNumber(certificate),
            PublicKey = CertificateFacts.PublicKey(certificate),
            CertificateSignature = CertificateFacts.SignatureValue(certificate),
            Certificate = full ? certificate.RawData : null,
            IpAddress = ipAddress,
            CertificateHash = full ? null : certificate.GetCertHash(),
            CertificateHashAlgorithm = full ? null : Sha1HashAlgorithm,
        };
    }
}
