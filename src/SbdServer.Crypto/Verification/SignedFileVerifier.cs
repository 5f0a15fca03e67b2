using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Crypto.Signing;
using SbdServer.Wire.Dn;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Signed;

namespace SbdServer.Crypto.Verification;

/// <summary>Checks who signed an ITL/CTL, .sgn or .enc.sgn and whether the signature holds.</summary>
public static class SignedFileVerifier
{
    /// <summary>True when the signature over the file (SIGNATURE TLV removed) verifies with the key.</summary>
    public static bool VerifySignature(SignedFile file, RSA publicKey)
    {
        if (publicKey.KeySize != file.Header.KeySizeBits)
        {
            return false;
        }

        try
        {
            return publicKey.VerifyData(file.SignedBytes, file.Header.Signature,
                HashAlgorithmMapping.ToName(file.Header.HashAlgorithm), RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            // A key taken from a hostile record (odd exponent, bad modulus) fails closed.
            return false;
        }
    }

    /// <summary>
    /// Whether <paramref name="certificate"/> is the header's signer (serial and issuer) and its key verifies the
    /// signature.
    /// </summary>
    public static VerificationResult Verify(SignedFile file, X509Certificate2 certificate)
    {
        var header = file.Header;
        if (!IsSigner(header, CertificateFacts.SerialNumber(certificate),
                DistinguishedNames.ToCucm(certificate.IssuerName)))
        {
            return new VerificationResult(false,
                $"The file was signed by the certificate with serial " +
                $"{Convert.ToHexStringLower(header.SerialNumber)}, not by the given certificate (serial " +
                $"{Convert.ToHexStringLower(CertificateFacts.SerialNumber(certificate))}, or its issuer differs).");
        }

        using var key = certificate.GetRSAPublicKey();
        if (key is null)
        {
            return new VerificationResult(false, "The given certificate has no RSA key.");
        }

        return VerifySignature(file, key)
            ? new VerificationResult(true, "The signature is valid.")
            : new VerificationResult(false, "The signature does not verify with the signer's key.");
    }

    /// <summary>
    /// Verifies an ITL/CTL with its own records: the signer is the SAST record whose serial and issuer match the
    /// header (any record for a blank rollback ITL, whose FUNCTION entries are empty).
    /// </summary>
    public static VerificationResult VerifyTrustList(TrustListFile list)
    {
        ArgumentNullException.ThrowIfNull(list);
        if (list.SignerRecordIndex is not { } i)
        {
            return new VerificationResult(false,
                $"No {(list.IsBlank ? "" : "SAST ")}record has the signer's serial " +
                $"{Convert.ToHexStringLower(list.Header.SerialNumber)} and issuer.");
        }

        var record = list.Records[i];
        if (record.IsEllipticCurve)
        {
            return new VerificationResult(false, "The signing record holds an EC key; trust lists are signed " +
                "with RSA.", i);
        }

        using var key = RSA.Create();
        try
        {
            key.ImportRSAPublicKey(record.PublicKey, out _);
        }
        catch (CryptographicException)
        {
            return new VerificationResult(false, $"Record {i + 1}: PUBLICKEY is not an RSA public key.", i);
        }

        return VerifySignature(list.Signed, key)
            ? new VerificationResult(true, "The signature is valid.", i)
            : new VerificationResult(false, "The signature does not verify with the signing record's key.", i);
    }

    /// <summary>Serial equal byte for byte and issuer DN equivalent (either separator).</summary>
    public static bool IsSigner(SignedHeader header, ReadOnlySpan<byte> serial, string issuer) =>
        TrustListFile.IsSignedBy(header, serial, issuer);
}
