using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Core.Certificates;
using SbdServer.Wire.Dn;

namespace SbdServer.Crypto.Certificates;

/// <summary>
/// Mints CUCM-like keys, certificates and CSRs with .NET's own crypto (no BouncyCastle needed here): RSA
/// 1024-4096 signed with SHA-256, EC P-256/P-384/P-521 signed with SHA-256/384/512.
/// </summary>
public sealed class CertificateFactory : ICertificateFactory
{
    public CertificateWithKey CreateSelfSigned(CertificateSpec spec, DateTimeOffset notBefore)
    {
        CertificateProfile.ValidateSpec(spec);
        using var key = NewKey(spec.Key);
        var der = Issue(spec, notBefore, key, issuer: null, issuerKey: key);
        return new CertificateWithKey(der, key.ExportPkcs8PrivateKey());
    }

    public CertificateWithKey CreateSigned(CertificateSpec spec, DateTimeOffset notBefore, CertificateWithKey issuer)
    {
        CertificateProfile.ValidateSpec(spec);
        var (issuerCertificate, issuerKey) = LoadIssuer(issuer);
        using (issuerCertificate)
        using (issuerKey)
        {
            using var key = NewKey(spec.Key);
            var der = Issue(spec, notBefore, key, issuerCertificate, issuerKey);
            return new CertificateWithKey(der, key.ExportPkcs8PrivateKey());
        }
    }

    public byte[] IssueForPublicKey(CertificateSpec spec, byte[] subjectPublicKeyInfo, DateTimeOffset notBefore, CertificateWithKey issuer)
    {
        CertificateProfile.ValidateSpec(spec);
        ArgumentNullException.ThrowIfNull(subjectPublicKeyInfo);
        PublicKey publicKey;
        try
        {
            publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(subjectPublicKeyInfo, out var read);
            if (read != subjectPublicKeyInfo.Length)
            {
                throw new CertificateImportException($"The public key has {subjectPublicKeyInfo.Length - read} bytes after its SubjectPublicKeyInfo.");
            }
        }
        catch (CryptographicException ex)
        {
            throw new CertificateImportException("The public key is not a DER SubjectPublicKeyInfo.", ex);
        }

        var (issuerCertificate, issuerKey) = LoadIssuer(issuer);
        using (issuerCertificate)
        using (issuerKey)
        {
            var request = new CertificateRequest(
                CertificateProfile.BuildSubject(spec.Subject), publicKey, PrivateKeys.SignatureHash(issuerKey),
                issuerKey is RSA ? RSASignaturePadding.Pkcs1 : null);
            CertificateProfile.AddExtensions(request, spec);
            return Sign(request, spec, notBefore, issuerCertificate, issuerKey);
        }
    }

    public byte[] CreateSelfSignedForKey(CertificateSpec spec, DateTimeOffset notBefore, byte[] privateKeyPkcs8)
    {
        CertificateProfile.ValidateSpec(spec);
        ArgumentNullException.ThrowIfNull(privateKeyPkcs8);
        using var key = PrivateKeys.Import(privateKeyPkcs8);
        return Issue(spec, notBefore, key, issuer: null, issuerKey: key);
    }

    public byte[] CreateCsr(CertificateSpec spec, byte[] privateKeyPkcs8)
    {
        CertificateProfile.ValidateSpec(spec);
        ArgumentNullException.ThrowIfNull(privateKeyPkcs8);
        using var key = PrivateKeys.Import(privateKeyPkcs8);
        var request = NewRequest(spec, key, PrivateKeys.SignatureHash(key));
        return request.CreateSigningRequest(SignatureGenerator(key));
    }

    /// <summary>A fresh key pair of the given type; the caller disposes it.</summary>
    internal static AsymmetricAlgorithm NewKey(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.Rsa1024 => RSA.Create(1024),
        KeyAlgorithm.Rsa2048 => RSA.Create(2048),
        KeyAlgorithm.Rsa3072 => RSA.Create(3072),
        KeyAlgorithm.Rsa4096 => RSA.Create(4096),
        KeyAlgorithm.EcP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        KeyAlgorithm.EcP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        KeyAlgorithm.EcP521 => ECDsa.Create(ECCurve.NamedCurves.nistP521),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown key algorithm."),
    };

    private static byte[] Issue(
        CertificateSpec spec,
        DateTimeOffset notBefore,
        AsymmetricAlgorithm subjectKey,
        X509Certificate2? issuer,
        AsymmetricAlgorithm issuerKey)
    {
        // The signature hash follows the signing key, which is the issuer's.
        var request = NewRequest(spec, subjectKey, PrivateKeys.SignatureHash(issuerKey));
        return Sign(request, spec, notBefore, issuer, issuerKey);
    }

    private static byte[] Sign(
        CertificateRequest request, CertificateSpec spec, DateTimeOffset notBefore, X509Certificate2? issuer, AsymmetricAlgorithm issuerKey)
    {
        if (issuer is not null)
        {
            var hasKeyId = issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Any();
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
                issuer, includeKeyIdentifier: hasKeyId, includeIssuerAndSerial: !hasKeyId));
        }

        // Whole seconds: X.509 times carry no fractions, and the stored notBefore must equal the encoded one.
        var start = new DateTimeOffset(notBefore.UtcTicks - (notBefore.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var end = start.AddYears(spec.ValidityYears);
        var issuerName = issuer?.SubjectName ?? request.SubjectName;
        using var certificate = request.Create(
            issuerName, SignatureGenerator(issuerKey), start, end, CertificateProfile.NewSerial(spec.SerialBytes));
        return certificate.RawData;
    }

    private static CertificateRequest NewRequest(CertificateSpec spec, AsymmetricAlgorithm key, HashAlgorithmName hash)
    {
        var subject = CertificateProfile.BuildSubject(spec.Subject);
        var request = key switch
        {
            RSA rsa => new CertificateRequest(subject, rsa, hash, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest(subject, ec, hash),
            _ => throw new CertificateImportException("Only RSA and EC keys are supported."),
        };
        CertificateProfile.AddExtensions(request, spec);
        return request;
    }

    private static X509SignatureGenerator SignatureGenerator(AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        ECDsa ec => X509SignatureGenerator.CreateForECDsa(ec),
        _ => throw new CertificateImportException("Only RSA and EC keys are supported."),
    };

    private static (X509Certificate2 Certificate, AsymmetricAlgorithm Key) LoadIssuer(CertificateWithKey issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var issuerCertificate = LoadCertificate(issuer.CertificateDer, "issuer certificate");
        AsymmetricAlgorithm? issuerKey = null;
        try
        {
            issuerKey = PrivateKeys.Import(issuer.PrivateKeyPkcs8);
            if (!issuerCertificate.PublicKey.ExportSubjectPublicKeyInfo().AsSpan()
                    .SequenceEqual(issuerKey.ExportSubjectPublicKeyInfo()))
            {
                throw new CertificateImportException("The issuer's private key does not match the issuer certificate.");
            }

            var constraints = issuerCertificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
            if (constraints is not { CertificateAuthority: true })
            {
                throw new CertificateImportException(
                    $"The issuer '{DistinguishedNames.ToCucm(issuerCertificate.SubjectName)}' is not a CA "
                    + "(basic constraints CA:false or absent), so certificates it signs would not chain.");
            }

            return (issuerCertificate, issuerKey);
        }
        catch
        {
            issuerKey?.Dispose();
            issuerCertificate.Dispose();
            throw;
        }
    }

    private static X509Certificate2 LoadCertificate(byte[] der, string what)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException ex)
        {
            throw new CertificateImportException($"The {what} is not a DER X.509 certificate.", ex);
        }
    }
}
