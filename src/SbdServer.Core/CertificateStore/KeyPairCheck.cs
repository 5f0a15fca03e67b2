using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SbdServer.Core.CertificateStore;

/// <summary>Checks that a PKCS#8 private key belongs to a certificate.</summary>
public static class KeyPairCheck
{
    public static bool Matches(byte[] certificateDer, byte[] privateKeyPkcs8)
    {
        try
        {
            using var cert = X509CertificateLoader.LoadCertificate(certificateDer);
            using var rsaPublic = cert.GetRSAPublicKey();
            if (rsaPublic is not null)
            {
                using var rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(privateKeyPkcs8, out _);
                return rsa.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(rsaPublic.ExportSubjectPublicKeyInfo());
            }

            using var ecPublic = cert.GetECDsaPublicKey();
            if (ecPublic is not null)
            {
                using var ec = ECDsa.Create();
                ec.ImportPkcs8PrivateKey(privateKeyPkcs8, out _);
                return ec.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(ecPublic.ExportSubjectPublicKeyInfo());
            }

            return false;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
