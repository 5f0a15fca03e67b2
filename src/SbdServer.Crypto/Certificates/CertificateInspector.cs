using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Core.Certificates;
using SbdServer.Wire.Dn;
using BcCertificateParser = Org.BouncyCastle.X509.X509CertificateParser;

namespace SbdServer.Crypto.Certificates;

/// <summary>Certificate facts (fingerprints, CUCM-style DNs, key, CA and wildcard flags) and key matching.</summary>
public sealed class CertificateInspector : ICertificateInspector
{
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";
    private const string CommonNameOid = "2.5.4.3";

    public CertificateFacts Inspect(ReadOnlySpan<byte> certificateDer)
    {
        using var certificate = Load(certificateDer);
        return Inspect(certificate);
    }

    public bool KeyMatches(ReadOnlySpan<byte> certificateDer, ReadOnlySpan<byte> privateKeyPkcs8)
    {
        using var certificate = Load(certificateDer);
        using var key = PrivateKeys.Import(privateKeyPkcs8);
        return KeyMatches(certificate, key);
    }

    public CsrFacts InspectCsr(ReadOnlySpan<byte> csrDer)
    {
        var request = LoadCsr(csrDer);
        try
        {
            var dnsNames = request.CertificateExtensions.OfType<X509SubjectAlternativeNameExtension>()
                .SelectMany(e => e.EnumerateDnsNames())
                .ToList();
            var (algorithm, keySize) = PublicKeyOf(request.PublicKey);
            return new CsrFacts(
                DistinguishedNames.ToCucm(request.SubjectName), algorithm, keySize, dnsNames,
                Convert.ToHexStringLower(SHA256.HashData(csrDer)));
        }
        catch (Exception ex) when (ex is CryptographicException or AsnContentException or PlatformNotSupportedException)
        {
            throw new CertificateImportException($"The CSR's contents are malformed: {ex.Message}", ex);
        }
    }

    public bool CsrKeyMatches(ReadOnlySpan<byte> csrDer, ReadOnlySpan<byte> privateKeyPkcs8)
    {
        var request = LoadCsr(csrDer);
        using var key = PrivateKeys.Import(privateKeyPkcs8);
        return KeyMatches(request.PublicKey, key);
    }

    /// <summary>Compares key parameters, not encodings: other tools encode the same EC key differently.</summary>
    internal static bool KeyMatches(X509Certificate2 certificate, AsymmetricAlgorithm key) => KeyMatches(certificate.PublicKey, key);

    private static bool KeyMatches(PublicKey publicKey, AsymmetricAlgorithm key)
    {
        switch (key)
        {
            case RSA rsa:
                {
                    using var certificateKey = publicKey.GetRSAPublicKey();
                    if (certificateKey is null)
                    {
                        return false;
                    }

                    var a = certificateKey.ExportParameters(false);
                    var b = rsa.ExportParameters(false);
                    return a.Modulus.AsSpan().SequenceEqual(b.Modulus) && a.Exponent.AsSpan().SequenceEqual(b.Exponent);
                }

            case ECDsa ec:
                {
                    using var certificateKey = publicKey.GetECDsaPublicKey();
                    if (certificateKey is null)
                    {
                        return false;
                    }

                    var a = certificateKey.ExportParameters(false);
                    var b = ec.ExportParameters(false);
                    return a.Q.X.AsSpan().SequenceEqual(b.Q.X) && a.Q.Y.AsSpan().SequenceEqual(b.Q.Y)
                        && certificateKey.KeySize == ec.KeySize;
                }

            default:
                return false;
        }
    }

    internal static X509Certificate2 Load(ReadOnlySpan<byte> certificateDer)
    {
        if (certificateDer.Length > ICertificateCodec.MaxInputBytes)
        {
            throw new CertificateImportException(
                $"The certificate is {certificateDer.Length} bytes; the limit is {ICertificateCodec.MaxInputBytes}.");
        }

        try
        {
            // The loader would also take PEM or ignore trailing bytes; a stored certificate must be exact DER.
            AsnDecoder.ReadEncodedValue(certificateDer, AsnEncodingRules.DER, out _, out _, out var consumed);
            if (consumed != certificateDer.Length)
            {
                throw new CertificateImportException(
                    $"The certificate has {certificateDer.Length - consumed} bytes after its DER structure.");
            }

            return X509CertificateLoader.LoadCertificate(certificateDer);
        }
        catch (Exception ex) when (ex is CryptographicException or AsnContentException)
        {
            throw new CertificateImportException("The data is not a valid DER X.509 certificate.", ex);
        }
    }

    private static CertificateRequest LoadCsr(ReadOnlySpan<byte> csrDer)
    {
        if (csrDer.Length > ICertificateCodec.MaxInputBytes)
        {
            throw new CertificateImportException($"The CSR is {csrDer.Length} bytes; the limit is {ICertificateCodec.MaxInputBytes}.");
        }

        try
        {
            AsnDecoder.ReadEncodedValue(csrDer, AsnEncodingRules.DER, out _, out _, out var consumed);
            if (consumed != csrDer.Length)
            {
                throw new CertificateImportException($"The CSR has {csrDer.Length - consumed} bytes after its DER structure.");
            }

            // The hash only matters for signing with the loaded request, which is never done; the signature is checked.
            return CertificateRequest.LoadSigningRequest(
                csrDer, HashAlgorithmName.SHA256, out _, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        }
        catch (Exception ex) when (ex is CryptographicException or AsnContentException)
        {
            throw new CertificateImportException("The data is not a valid DER PKCS#10 CSR with a good signature.", ex);
        }
    }

    internal static CertificateFacts Inspect(X509Certificate2 certificate)
    {
        var der = certificate.RawData;
        try
        {
            var dnsNames = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>()
                .SelectMany(e => e.EnumerateDnsNames())
                .ToList();
            var commonNames = CommonNames(certificate.SubjectName);
            var (algorithm, keySize) = PublicKeyOf(certificate);
            var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
            return new CertificateFacts(
                Sha1: Convert.ToHexStringLower(SHA1.HashData(der)),
                Sha256: Convert.ToHexStringLower(SHA256.HashData(der)),
                Md5: Convert.ToHexStringLower(MD5.HashData(der)),
                SerialNumber: UnsignedSerialHex(certificate.SerialNumberBytes.Span),
                Subject: DistinguishedNames.ToCucm(certificate.SubjectName),
                Issuer: DistinguishedNames.ToCucm(certificate.IssuerName),
                CommonName: commonNames.FirstOrDefault() ?? "",
                NotBefore: new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
                NotAfter: new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
                PublicKeyAlgorithm: algorithm,
                KeySizeBits: keySize,
                IsCertificateAuthority: constraints?.CertificateAuthority ?? false,
                IsSelfSigned: IsSelfSigned(certificate),
                IsWildcard: commonNames.Concat(dnsNames).Any(n => n.Contains('*', StringComparison.Ordinal)),
                DnsNames: dnsNames);
        }
        catch (Exception ex) when (ex is CryptographicException or AsnContentException or PlatformNotSupportedException)
        {
            // PlatformNotSupportedException: an EC key on a curve OpenSSL does not know, which is the upload's fault.
            throw new CertificateImportException($"The certificate's contents are malformed: {ex.Message}", ex);
        }
    }

    /// <summary>The serial as an unsigned number: DER adds a 00 sign byte when the top bit is set; CUCM does not.</summary>
    internal static string UnsignedSerialHex(ReadOnlySpan<byte> serial)
    {
        var start = 0;
        while (start < serial.Length - 1 && serial[start] == 0)
        {
            start++;
        }

        return Convert.ToHexString(serial[start..]);
    }

    private static List<string> CommonNames(X500DistinguishedName name) =>
        [.. name.EnumerateRelativeDistinguishedNames(reversed: false)
            .Where(r => !r.HasMultipleElements && r.GetSingleElementType().Value == CommonNameOid)
            .Select(r => r.GetSingleElementValue() ?? "")];

    private static (string Algorithm, int KeySize) PublicKeyOf(X509Certificate2 certificate) => PublicKeyOf(certificate.PublicKey);

    private static (string Algorithm, int KeySize) PublicKeyOf(PublicKey publicKey)
    {
        switch (publicKey.Oid.Value)
        {
            case RsaOid:
                {
                    using var rsa = publicKey.GetRSAPublicKey();
                    return ("RSA", rsa?.KeySize ?? 0);
                }

            case EcOid:
                {
                    using var ec = publicKey.GetECDsaPublicKey();
                    return ("EC", ec?.KeySize ?? 0);
                }

            default:
                return (publicKey.Oid.Value ?? "unknown", 0);
        }
    }

    private static bool IsSelfSigned(X509Certificate2 certificate)
    {
        if (!certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
        {
            return false;
        }

        try
        {
            var parsed = new BcCertificateParser().ReadCertificate(certificate.RawData);
            return parsed.IsSignatureValid(parsed.GetPublicKey());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // An unsupported or broken signature is simply "not verifiably self-signed".
            return false;
        }
    }
}
