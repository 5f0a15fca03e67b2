using System.Security.Cryptography.X509Certificates;
using SbdServer.Wire.Dn;

namespace SbdServer.Wire.Signed;

/// <summary>What the header says about the signer: its certificate's subject, serial, issuer and key size.</summary>
public sealed record SignerIdentity(string SubjectName, byte[] SerialNumber, string IssuerName, int KeySizeBits)
{
    /// <summary>Reads the facts from a certificate, writing the names CUCM style.</summary>
    public static SignerIdentity FromCertificate(X509Certificate2 certificate) =>
        new(
            DistinguishedNames.ToCucm(certificate.SubjectName),
            CertificateFacts.SerialNumber(certificate),
            DistinguishedNames.ToCucm(certificate.IssuerName),
            certificate.PublicKey.GetRSAPublicKey()?.KeySize
                ?? throw new ArgumentException(
                    "The signer certificate has no RSA key; phone files are signed with RSA only.",
                    nameof(certificate)));
}
