using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Wire.Dn;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Signed;

namespace SbdServer.Phone.Trust;

/// <summary>
/// Verifies a signed file's signature with .NET's RSA/ECDsa only: never with the server's signer, so a signing bug
/// cannot hide behind a matching verifier bug. The model decides which digests and key types it knows.
/// </summary>
public static class SignatureCheck
{
    /// <summary>Null when <paramref name="file"/> verifies with <paramref name="record"/>'s key, else why not.</summary>
    public static string? Verify(SignedFile file, TrustListRecord record, PhoneModel model)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(record);
        if (record.Certificate is { } der)
        {
            return Verify(file, der, model);
        }

        return record.IsEllipticCurve
            ? VerifyEc(file, record.PublicKey, model)
            : VerifyRsa(file, rsa => rsa.ImportRSAPublicKey(record.PublicKey, out _), model);
    }

    /// <summary>Null when <paramref name="file"/> verifies with the key of the certificate <paramref name="certificateDer"/>.</summary>
    public static string? Verify(SignedFile file, ReadOnlySpan<byte> certificateDer, PhoneModel model)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(model);
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(certificateDer);
        }
        catch (CryptographicException e)
        {
            return "the signer certificate does not parse: " + e.Message;
        }

        using (certificate)
        {
            if (CertificateFacts.IsEllipticCurve(certificate))
            {
                if (!model.SupportsEc)
                {
                    return $"model {model.Name} does not support EC keys";
                }

                using var ec = certificate.GetECDsaPublicKey();
                return ec is null ? "no EC public key" : VerifyWith(file, ec, model);
            }

            using var rsa = certificate.GetRSAPublicKey();
            return rsa is null ? "the signer certificate has no RSA or EC key" : VerifyWith(file, rsa, model);
        }
    }

    /// <summary>True when the record names the signer of <paramref name="header"/> (issuer DN + serial, CUCM's key).</summary>
    public static bool NamesSigner(TrustListRecord record, SignedHeader header) =>
        record.SerialNumber.AsSpan().SequenceEqual(header.SerialNumber)
        && DistinguishedNames.AreEquivalent(record.IssuerName, header.IssuerName);

    /// <summary>True when the certificate is the signer named in <paramref name="header"/>.</summary>
    public static bool IsSigner(ReadOnlySpan<byte> certificateDer, SignedHeader header)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(certificateDer);
            return CertificateFacts.SerialNumber(certificate).AsSpan().SequenceEqual(header.SerialNumber)
                && DistinguishedNames.AreEquivalent(DistinguishedNames.ToCucm(certificate.IssuerName), header.IssuerName);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static string? VerifyRsa(SignedFile file, Action<RSA> import, PhoneModel model)
    {
        using var rsa = RSA.Create();
        try
        {
            import(rsa);
        }
        catch (CryptographicException e)
        {
            return "the record's RSA public key does not parse: " + e.Message;
        }

        return VerifyWith(file, rsa, model);
    }

    private static string? VerifyEc(SignedFile file, byte[] point, PhoneModel model)
    {
        if (!model.SupportsEc)
        {
            return $"model {model.Name} does not support EC keys";
        }

        var curve = (point.Length - 1) switch
        {
            64 => ECCurve.NamedCurves.nistP256,
            96 => ECCurve.NamedCurves.nistP384,
            132 => ECCurve.NamedCurves.nistP521,
            _ => (ECCurve?)null,
        };
        if (curve is null)
        {
            return $"an EC point of {point.Length} bytes is not P-256, P-384 or P-521";
        }

        var half = (point.Length - 1) / 2;
        using var ec = ECDsa.Create(new ECParameters
        {
            Curve = curve.Value,
            Q = new ECPoint { X = point[1..(1 + half)], Y = point[(1 + half)..] },
        });
        return VerifyWith(file, ec, model);
    }

    private static string? VerifyWith(SignedFile file, AsymmetricAlgorithm key, PhoneModel model)
    {
        var header = file.Header;
        if (header.HashAlgorithm != HashAlgorithmCode.Sha1 && !model.SupportsSha2)
        {
            return $"model {model.Name} does not know digest {HashAlgorithms.DisplayName(header.HashAlgorithm)}";
        }

        var hash = header.HashAlgorithm switch
        {
            HashAlgorithmCode.Sha1 => HashAlgorithmName.SHA1,
            HashAlgorithmCode.Sha256 => HashAlgorithmName.SHA256,
            HashAlgorithmCode.Sha512 => HashAlgorithmName.SHA512,
            _ => HashAlgorithmName.SHA1,
        };
        var ok = key switch
        {
            RSA rsa => header.SignatureAlgorithm == 0
                && rsa.VerifyData(file.SignedBytes, header.Signature, hash, RSASignaturePadding.Pkcs1),
            ECDsa ec => ec.VerifyData(file.SignedBytes, header.Signature, hash, DSASignatureFormat.Rfc3279DerSequence)
                || ec.VerifyData(file.SignedBytes, header.Signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            _ => false,
        };
        return ok ? null : "the signature does not verify";
    }
}
