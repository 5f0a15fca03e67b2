using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Core.Certificates;

namespace SbdServer.Persistence.Tests;

/// <summary>Plays the external CA that signs a CSR (the product only creates CSRs; signing them is the CA's job).</summary>
internal static class TestCa
{
    public static byte[] Sign(byte[] csrDer, CertificateWithKey ca)
    {
        var request = CertificateRequest.LoadSigningRequest(
            csrDer, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions, RSASignaturePadding.Pkcs1);
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(ca.PrivateKeyPkcs8, out _);
        using var caCert = X509CertificateLoader.LoadCertificate(ca.CertificateDer).CopyWithPrivateKey(rsa);
        using var issued = request.Create(
            caCert, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(2), RandomNumberGenerator.GetBytes(12));
        return issued.RawData;
    }
}
