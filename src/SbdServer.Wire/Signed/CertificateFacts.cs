using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Wire.Tlv;

namespace SbdServer.Wire.Signed;

/// <summary>Fields of a certificate in the byte form the phone files carry them (reading only, no crypto).</summary>
public static class CertificateFacts
{
    /// <summary>The serial as raw unsigned big-endian bytes: DER's sign byte removed.</summary>
    public static byte[] SerialNumber(X509Certificate2 certificate)
    {
        var serial = certificate.SerialNumberBytes.Span;
        var start = 0;
        while (start < serial.Length - 1 && serial[start] == 0)
        {
            start++;
        }

        return serial[start..].ToArray();
    }

    /// <summary>The certificate's own signature value (the BIT STRING after the signature algorithm).</summary>
    public static byte[] SignatureValue(X509Certificate2 certificate)
    {
        try
        {
            var reader = new AsnReader(certificate.RawDataMemory, AsnEncodingRules.DER);
            var certificateSequence = reader.ReadSequence();
            certificateSequence.ReadEncodedValue();
            certificateSequence.ReadEncodedValue();
            return certificateSequence.ReadBitString(out _);
        }
        catch (AsnContentException e)
        {
            throw new WireFormatException("Certificate: the signature value is not a DER BIT STRING.", e);
        }
    }

    /// <summary>
    /// The public key as a record carries it: PKCS#1 RSAPublicKey DER for RSA, the uncompressed point for EC.
    /// </summary>
    public static byte[] PublicKey(X509Certificate2 certificate) =>
        certificate.PublicKey.EncodedKeyValue.RawData;

    public static bool IsEllipticCurve(X509Certificate2 certificate) =>
        certificate.PublicKey.Oid.Value == "1.2.840.10045.2.1";
}
