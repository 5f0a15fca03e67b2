using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Wire.Dn;

namespace SbdServer.Core.Capf;

/// <summary>The LSC CAPF issued to a device: who it names, who signed it, its serial, validity and digests.</summary>
public sealed record LscView(
    string Subject,
    string Issuer,
    string SerialNumber,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string KeyAlgorithm,
    string Md5,
    string Sha256)
{
    public static LscView? Of(byte[]? der)
    {
        if (der is null)
        {
            return null;
        }

        using var certificate = X509CertificateLoader.LoadCertificate(der);
        return new LscView(
            DistinguishedNames.ToCucm(certificate.SubjectName),
            DistinguishedNames.ToCucm(certificate.IssuerName),
            certificate.SerialNumber,
            certificate.NotBefore.ToUniversalTime(),
            certificate.NotAfter.ToUniversalTime(),
            certificate.GetKeyAlgorithm() == "1.2.840.10045.2.1" ? "EC" : "RSA",
#pragma warning disable CA5351 // MD5 is the config's certHash (formats.md section 3), not a security decision.
            Convert.ToHexStringLower(MD5.HashData(der)),
#pragma warning restore CA5351
            Convert.ToHexStringLower(SHA256.HashData(der)));
    }
}
