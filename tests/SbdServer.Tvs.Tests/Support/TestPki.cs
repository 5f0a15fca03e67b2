using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Core.Certificates;

namespace SbdServer.Tvs.Tests.Support;

/// <summary>Test PKI generated in code: a CA like the capture's, leaves with chosen serials and dates, TVS certificates.</summary>
internal static class TestPki
{
    public const string CaName = "CN=stormin-WIN2012-CA";

    private static readonly Lazy<X509Certificate2> LazyCa = new(() =>
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(CaName, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddYears(10));
    });

    private static readonly Lazy<CertificateWithKey> LazyTvs = new(() => CreateTvs("CN=tvs1.stormin.local"));
    private static readonly Lazy<CertificateWithKey> LazyTvs2 = new(() => CreateTvs("CN=tvs2.stormin.local"));

    public static X509Certificate2 Ca => LazyCa.Value;

    /// <summary>An RSA-2048 TVS certificate + key (as phones see in a real cluster).</summary>
    public static CertificateWithKey Tvs => LazyTvs.Value;

    /// <summary>A second TVS certificate, as after a regeneration.</summary>
    public static CertificateWithKey Tvs2 => LazyTvs2.Value;

    /// <summary>A leaf issued by <see cref="Ca"/> (EC P-256 key: fast to make; TVS never looks at the key).</summary>
    public static byte[] Leaf(
        string subject,
        byte[]? serial = null,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        serial ??= RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var before = notBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        var after = notAfter ?? DateTimeOffset.UtcNow.AddYears(1);
        using var rsa = Ca.GetRSAPrivateKey()!;
        using var certificate = request.Create(
            Ca.SubjectName, X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1), before, after, serial);
        return certificate.RawData;
    }

    /// <summary>A self-signed leaf (a tomcat or CallManager identity certificate).</summary>
    public static byte[] SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return certificate.RawData;
    }

    public static string Pem(byte[] der) => PemEncoding.WriteString("CERTIFICATE", der);

    /// <summary>PEM with the private key followed by the certificate, as vectors/certs and tvsd expect.</summary>
    public static string PemWithKey(CertificateWithKey pair) =>
        PemEncoding.WriteString("PRIVATE KEY", pair.PrivateKeyPkcs8) + "\n" + Pem(pair.CertificateDer) + "\n";

    private static CertificateWithKey CreateTvs(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        return new CertificateWithKey(certificate.RawData, key.ExportPkcs8PrivateKey());
    }
}
