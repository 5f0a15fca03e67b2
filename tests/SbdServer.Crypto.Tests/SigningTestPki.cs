using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SbdServer.Crypto.Tests;

/// <summary>Certificates for the signing/encryption tests, made with .NET's CertificateRequest.</summary>
internal static class SigningTestPki
{
    private static readonly ConcurrentDictionary<string, RSA> Keys = new();

    public static X509Certificate2 Rsa(string cn, int bits = 2048, string slot = "a")
    {
        var key = Keys.GetOrAdd($"{bits}/{slot}", _ => RSA.Create(bits));
        var request = new CertificateRequest($"C=US, O=Cisco, OU=TAC, CN={cn}", key, HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
    }

    public static X509Certificate2 Ec(string cn)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var request = new CertificateRequest($"CN={cn}", key, HashAlgorithmName.SHA384);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
    }

    public static string Vector(string relative) =>
        Testing.SharedFiles.Require(Path.Combine("vectors", relative));
}
