using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SbdServer.Core.CertificateStore;

/// <summary>What the store indexes and shows about a certificate; DNs in CUCM's <c>CN=..;OU=..</c> style.</summary>
public sealed record CertificateFacts(
    string SerialNumber,
    string Subject,
    string Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string Sha1,
    string Sha256,
    string Md5,
    string KeyAlgorithm,
    int KeySize,
    bool IsCertificateAuthority,
    bool IsWildcard)
{
    /// <summary>Largest DER certificate the store accepts; real ones are under 4 KiB.</summary>
    public const int MaxDerLength = 64 * 1024;

    /// <summary>Parses a DER certificate; throws <see cref="CertificateStoreException"/> when it is not one.</summary>
    public static CertificateFacts FromDer(byte[] der)
    {
        if (der.Length is 0 or > MaxDerLength)
        {
            throw new CertificateStoreException($"Certificate is malformed: {der.Length} bytes is not a plausible DER certificate size.");
        }

        X509Certificate2 cert;
        try
        {
            cert = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            throw new CertificateStoreException("Certificate is malformed: not a DER X.509 certificate.");
        }

        using (cert)
        {
            var (algorithm, size) = KeyOf(cert);
            var isCa = cert.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);
            var cn = cert.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            var sanWildcard = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>()
                .SelectMany(s => s.EnumerateDnsNames())
                .Any(n => n.Contains('*', StringComparison.Ordinal));
            return new CertificateFacts(
                cert.SerialNumber.ToUpperInvariant(),
                CucmName(cert.SubjectName),
                CucmName(cert.IssuerName),
                new DateTimeOffset(cert.NotBefore.ToUniversalTime(), TimeSpan.Zero),
                new DateTimeOffset(cert.NotAfter.ToUniversalTime(), TimeSpan.Zero),
                Convert.ToHexStringLower(SHA1.HashData(der)),
                Convert.ToHexStringLower(SHA256.HashData(der)),
                Convert.ToHexStringLower(MD5.HashData(der)),
                algorithm,
                size,
                isCa,
                cn.Contains('*', StringComparison.Ordinal) || sanWildcard);
        }
    }

    /// <summary>A DN as CUCM prints it: attributes in encoding order, <c>;</c>-separated.</summary>
    public static string CucmName(X500DistinguishedName name)
    {
        var builder = new StringBuilder();
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames(reversed: false))
        {
            if (builder.Length > 0)
            {
                builder.Append(';');
            }

            if (rdn.HasMultipleElements)
            {
                builder.Append(new X500DistinguishedName(rdn.RawData.Span).Name);
                continue;
            }

            var oid = rdn.GetSingleElementType().Value;
            var label = oid switch
            {
                "2.5.4.3" => "CN",
                "2.5.4.11" => "OU",
                "2.5.4.10" => "O",
                "2.5.4.7" => "L",
                "2.5.4.8" => "ST",
                "2.5.4.6" => "C",
                "1.2.840.113549.1.9.1" => "E",
                _ => oid,
            };
            builder.Append(label).Append('=').Append(rdn.GetSingleElementValue());
        }

        return builder.ToString();
    }

    private static (string Algorithm, int Size) KeyOf(X509Certificate2 cert)
    {
        using var rsa = cert.GetRSAPublicKey();
        if (rsa is not null)
        {
            return ("RSA", rsa.KeySize);
        }

        using var ec = cert.GetECDsaPublicKey();
        if (ec is not null)
        {
            return ("EC", ec.KeySize);
        }

        return (cert.PublicKey.Oid.FriendlyName ?? cert.PublicKey.Oid.Value ?? "unknown", 0);
    }
}
