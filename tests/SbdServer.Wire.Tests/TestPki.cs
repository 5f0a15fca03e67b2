using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SbdServer.Wire.Tests;

/// <summary>Test certificates made in code with .NET's CertificateRequest; RSA keys are cached per size.</summary>
internal static class TestPki
{
    private static readonly ConcurrentDictionary<string, RSA> Keys = new();

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

    /// <summary>An RSA key of the given size; <paramref name="slot"/> tells apart keys of the same size.</summary>
    public static RSA RsaKey(int bits, string slot = "a") => Keys.GetOrAdd($"{bits}/{slot}", _ => RSA.Create(bits));

    public static X509Certificate2 SelfSigned(
        X500DistinguishedName subject, int bits, int serialBytes = 16, string slot = "a")
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
        var key = RsaKey(bits, slot);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForRSA(
            issuer.GetRSAPrivateKey()!, RSASignaturePadding.Pkcs1), now.AddDays(-1), now.AddYears(5),
            Serial(serialBytes));
        return certificate.CopyWithPrivateKey(key);
    }

    public static X509Certificate2 EcSelfSigned(X500DistinguishedName subject, ECCurve curve)
    {
        using var key = ECDsa.Create(curve);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
    }

    /// <summary>Random serial of exactly <paramref name="length"/> bytes: first byte 0x01..0x7F (no sign byte).</summary>
    public static byte[] Serial(int length)
    {
        var serial = RandomNumberGenerator.GetBytes(length);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }
}
