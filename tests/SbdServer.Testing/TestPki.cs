using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Core.Certificates;

namespace SbdServer.Testing;

/// <summary>
/// The one test PKI of the test projects, generated in code with .NET's <see cref="CertificateRequest"/> (never the
/// product's certificate factory, so a factory bug cannot hide behind a fixture made with it). RSA keys are cached
/// per size and slot, and the shared certificates are made once per run: RSA generation is slow.
/// </summary>
public static class TestPki
{
    /// <summary>The issuing CA of <see cref="Leaf"/>, named like the capture's.</summary>
    public const string CaName = "CN=stormin-WIN2012-CA";

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly ConcurrentDictionary<string, RSA> Keys = new();

    private static readonly Lazy<X509Certificate2> LazyCa = new(() =>
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(CaName, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddYears(10));
    });

    private static readonly Lazy<CertificateWithKey> LazyTvs = new(() => ServerRsa("CN=tvs1.stormin.local", dnsName: null, years: 5));
    private static readonly Lazy<CertificateWithKey> LazyTvs2 = new(() => ServerRsa("CN=tvs2.stormin.local", dnsName: null, years: 5));
    private static readonly Lazy<CertificateWithKey> LazyTomcat = new(() => SelfSignedRsa("cucm-pub.lab.example"));

    /// <summary>A self-signed RSA-2048 CA (basic constraints, keyCertSign) that issues <see cref="Leaf"/>.</summary>
    public static X509Certificate2 Ca => LazyCa.Value;

    /// <summary>An RSA-2048 TVS certificate + key (server authentication), as phones see in a real cluster.</summary>
    public static CertificateWithKey Tvs => LazyTvs.Value;

    /// <summary>A second TVS certificate, as after a regeneration.</summary>
    public static CertificateWithKey Tvs2 => LazyTvs2.Value;

    /// <summary>One tomcat pair (<see cref="SelfSignedRsa"/>) for tests that do not change the certificate.</summary>
    public static CertificateWithKey Tomcat => LazyTomcat.Value;

    /// <summary>A name written in encoding order C, ST, L, O, OU, CN, so CUCM prints it CN first.</summary>
    public static X500DistinguishedName Name(
        string cn, string? ou = "TAC", string? o = "Cisco", string? l = "RTP", string? st = "North Carolina",
        string? c = "US")
    {
        var builder = new X500DistinguishedNameBuilder();
        if (c is not null)
        {
            builder.AddCountryOrRegion(c);
        }

        if (st is not null)
        {
            builder.AddStateOrProvinceName(st);
        }

        if (l is not null)
        {
            builder.AddLocalityName(l);
        }

        if (o is not null)
        {
            builder.AddOrganizationName(o);
        }

        if (ou is not null)
        {
            builder.AddOrganizationalUnitName(ou);
        }

        builder.AddCommonName(cn);
        return builder.Build();
    }

    /// <summary>An RSA key of the given size, made once; <paramref name="slot"/> tells apart keys of the same size.</summary>
    public static RSA RsaKey(int bits, string slot = "a") => Keys.GetOrAdd($"{bits}/{slot}", _ => RSA.Create(bits));

    /// <summary>Random serial of exactly <paramref name="length"/> bytes: first byte 0x01..0x7F (no sign byte).</summary>
    public static byte[] Serial(int length)
    {
        var serial = RandomNumberGenerator.GetBytes(length);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }

    /// <summary>A self-signed RSA certificate with its (cached) private key, valid from yesterday for five years.</summary>
    public static X509Certificate2 SelfSigned(X500DistinguishedName subject, int bits, int serialBytes = 16, string slot = "a")
    {
        var key = RsaKey(bits, slot);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.Create(subject, X509SignatureGenerator.CreateForRSA(key,
            RSASignaturePadding.Pkcs1), now.AddDays(-1), now.AddYears(5), Serial(serialBytes));
        return certificate.CopyWithPrivateKey(key);
    }

    /// <summary>A certificate issued by <paramref name="issuer"/> (which must hold its RSA private key).</summary>
    public static X509Certificate2 Issued(
        X500DistinguishedName subject, int bits, X509Certificate2 issuer, int serialBytes, string slot = "a")
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var key = RsaKey(bits, slot);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForRSA(
            issuer.GetRSAPrivateKey()!, RSASignaturePadding.Pkcs1), now.AddDays(-1), now.AddYears(5),
            Serial(serialBytes));
        return certificate.CopyWithPrivateKey(key);
    }

    /// <summary>A self-signed EC certificate with its private key.</summary>
    public static X509Certificate2 EcSelfSigned(X500DistinguishedName subject, ECCurve curve)
    {
        using var key = ECDsa.Create(curve);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
    }

    /// <summary>A self-signed RSA certificate named <c>C=US, O=Cisco, OU=TAC, CN=...</c> with its (cached) key.</summary>
    public static X509Certificate2 Rsa(string cn, int bits = 2048, string slot = "a")
    {
        var request = new CertificateRequest($"C=US, O=Cisco, OU=TAC, CN={cn}", RsaKey(bits, slot), HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
    }

    /// <summary>A self-signed EC P-384 certificate <c>CN=...</c> (SHA-384) with a fresh key.</summary>
    public static X509Certificate2 Ec(string cn)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var request = new CertificateRequest($"CN={cn}", key, HashAlgorithmName.SHA384);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
    }

    /// <summary>
    /// A fresh self-signed RSA-2048 certificate with an exportable key, valid for a year: what a regenerated
    /// CallManager.pem looks like to a phone.
    /// </summary>
    public static X509Certificate2 FreshRsa(string subject)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

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

    /// <summary>A self-signed leaf, DER only (a tomcat or CallManager identity certificate; EC P-256 key).</summary>
    public static byte[] SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return certificate.RawData;
    }

    /// <summary>A self-signed RSA-2048 HTTPS server pair <c>CN=name</c> (server authentication, SAN DNS name), valid a year.</summary>
    public static CertificateWithKey SelfSignedRsa(string commonName) => ServerRsa($"CN={commonName}", commonName, years: 1);

    /// <summary>As <see cref="SelfSignedRsa"/> with an EC P-256 key.</summary>
    public static CertificateWithKey SelfSignedEc(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        return Server(request, key, commonName, years: 1);
    }

    /// <summary>
    /// A fresh RSA-2048 CA with its private key (CA with path length 0, keyCertSign and cRLSign, subject key
    /// identifier), valid from yesterday: the lab or manufacturing CA a test uploads to a trust store and issues from.
    /// </summary>
    public static X509Certificate2 CertificateAuthority(string subject, int years = 10)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(years));
    }

    /// <summary>An end-entity certificate issued by <paramref name="ca"/> for a fresh RSA-2048 key it holds (a MIC, an LSC).</summary>
    public static X509Certificate2 IssuedBy(X509Certificate2 ca, string subject, int years = 5)
    {
        ArgumentNullException.ThrowIfNull(ca);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(years), Serial(8));
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// A self-signed certificate (DER) for the caller's <paramref name="key"/>, valid from yesterday: a phone's
    /// certificate whose key the test keeps to decrypt what the server encrypts for it, or a record of a big ITL.
    /// </summary>
    public static byte[] SelfSignedFor(string subject, RSA key, int years = 1)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(years));
        return certificate.RawData;
    }

    /// <summary>Plays the external CA that signs a CSR (the product only creates CSRs): RSA CA, two years, random serial.</summary>
    public static byte[] SignCsr(byte[] csrDer, CertificateWithKey ca)
    {
        ArgumentNullException.ThrowIfNull(ca);
        var request = CertificateRequest.LoadSigningRequest(
            csrDer, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions, RSASignaturePadding.Pkcs1);
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(ca.PrivateKeyPkcs8, out _);
        using var caCert = X509CertificateLoader.LoadCertificate(ca.CertificateDer).CopyWithPrivateKey(rsa);
        using var issued = request.Create(
            caCert, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(2), RandomNumberGenerator.GetBytes(12));
        return issued.RawData;
    }

    public static string Pem(byte[] der) => PemEncoding.WriteString("CERTIFICATE", der);

    /// <summary>PEM with the private key followed by the certificate, as vectors/certs and tvsd expect.</summary>
    public static string PemWithKey(CertificateWithKey pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        return PemEncoding.WriteString("PRIVATE KEY", pair.PrivateKeyPkcs8) + "\n" + Pem(pair.CertificateDer) + "\n";
    }

    private static CertificateWithKey ServerRsa(string subject, string? dnsName, int years)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return Server(request, key, dnsName, years);
    }

    private static CertificateWithKey Server(CertificateRequest request, AsymmetricAlgorithm key, string? dnsName, int years)
    {
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication], critical: false));
        if (dnsName is not null)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(dnsName);
            request.CertificateExtensions.Add(san.Build());
        }

        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(years));
        return new CertificateWithKey(certificate.RawData, key.ExportPkcs8PrivateKey());
    }
}
