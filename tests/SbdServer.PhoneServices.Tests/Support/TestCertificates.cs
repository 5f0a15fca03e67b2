using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Core.Certificates;

namespace SbdServer.PhoneServices.Tests.Support;

/// <summary>Test PKI made in code: self-signed "tomcat" certificates with their PKCS#8 keys.</summary>
internal static class TestCertificates
{
    private static readonly Lazy<CertificateWithKey> Shared = new(() => SelfSignedRsa("cucm-pub.lab.example"));

    /// <summary>One RSA pair shared by tests that do not change the certificate (key generation is slow).</summary>
    public static CertificateWithKey Default => Shared.Value;

    public static CertificateWithKey SelfSignedRsa(string commonName)
    {
        using var key = RSA.Create(2048);
        return SelfSigned(commonName, new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), key);
    }

    public static CertificateWithKey SelfSignedEc(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return SelfSigned(commonName, new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256), key);
    }

    private static CertificateWithKey SelfSigned(string commonName, CertificateRequest request, AsymmetricAlgorithm key)
    {
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(commonName);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return new CertificateWithKey(certificate.RawData, key.ExportPkcs8PrivateKey());
    }
}
