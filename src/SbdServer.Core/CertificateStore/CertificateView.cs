using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Wire.Itl;

namespace SbdServer.Core.CertificateStore;

/// <summary>A certificate as the API lists it.</summary>
public sealed record CertificateView(
    string Name,
    string Store,
    string SerialNumber,
    string Subject,
    string Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string Sha1,
    string Sha256,
    string Md5,
    IReadOnlyList<TrustRole> Roles)
{
    /// <summary>CUCM's "Key Type" column: <c>RSA 2048</c>, <c>EC 384</c> (empty when the key cannot be read).</summary>
    public string KeyType { get; init; } = "";

    public static CertificateView Of(IdentityCertificate c) =>
        new CertificateView(c.Name, c.Name, c.SerialNumber, c.Subject, c.Issuer, c.NotBefore, c.NotAfter, c.Sha1, c.Sha256, c.Md5,
            StoreRoles.For(c.Name))
        { KeyType = KeyTypeOf(c.Sha256, c.Der) };

    public static CertificateView Of(TrustCertificate c) =>
        new CertificateView(CommonName(c.Subject), c.Store, c.SerialNumber, c.Subject, c.Issuer, c.NotBefore, c.NotAfter, c.Sha1,
            c.Sha256, c.Md5, StoreRoles.For(c.Store))
        { KeyType = KeyTypeOf(c.Sha256, c.Der) };

    // Parsing a certificate costs more than the rest of a list row; the answer is fixed by the bytes, so it is kept per
    // SHA-256 (never stale) and the table is emptied when it grows past what a cluster holds, so uploads cannot grow it.
    private const int MaxCachedKeyTypes = 4096;
    private static readonly ConcurrentDictionary<string, string> KeyTypes = new(StringComparer.OrdinalIgnoreCase);

    private static string KeyTypeOf(string sha256, byte[] der)
    {
        if (string.IsNullOrEmpty(sha256))
        {
            return ParseKeyType(der);
        }

        if (KeyTypes.TryGetValue(sha256, out var known))
        {
            return known;
        }

        if (KeyTypes.Count >= MaxCachedKeyTypes)
        {
            KeyTypes.Clear();
        }

        return KeyTypes[sha256] = ParseKeyType(der);
    }

    private static string ParseKeyType(byte[] der)
    {
        if (der.Length == 0)
        {
            return "";
        }

        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            using var rsa = certificate.GetRSAPublicKey();
            if (rsa is not null)
            {
                return "RSA " + rsa.KeySize.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            using var ec = certificate.GetECDsaPublicKey();
            return ec is null ? "" : "EC " + ec.KeySize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return ""; // stored certificates were parsed on the way in; a column is not worth failing the list for
        }
    }

    private static string CommonName(string subject) =>
        subject.Split(';').FirstOrDefault(p => p.StartsWith("CN=", StringComparison.Ordinal))?[3..] ?? subject;
}
