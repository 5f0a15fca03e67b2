using System.Security.Cryptography;
using System.Text;

namespace SbdServer.Core.CertificateStore;

/// <summary>Reads an uploaded PEM (one or more certificates, a chain) or DER body and applies CUCM's upload rules.</summary>
public static class TrustUploadParser
{
    public const int MaxUploadBytes = 1024 * 1024;
    public const int MaxCertificatesPerUpload = 16;
    public const int MaxKeyBits = 4096;

    /// <summary>DER certificates in upload order; throws <see cref="CertificateStoreException"/> with the reason.</summary>
    public static IReadOnlyList<byte[]> Parse(ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (body.IsEmpty)
        {
            throw new CertificateStoreException("The upload is empty; send a PEM or DER certificate as the request body.");
        }

        if (body.Length > MaxUploadBytes)
        {
            throw new CertificateStoreException($"The upload is {body.Length} bytes; the limit is {MaxUploadBytes}.");
        }

        var ders = LooksLikePem(body) ? ReadPem(body) : [body.ToArray()];
        for (var i = 0; i < ders.Count; i++)
        {
            Validate(ders[i], ders.Count == 1 ? "The certificate" : $"Certificate {i + 1} of {ders.Count}", now);
        }

        return ders;
    }

    private static void Validate(byte[] der, string which, DateTimeOffset now)
    {
        CertificateFacts facts;
        try
        {
            facts = CertificateFacts.FromDer(der);
        }
        catch (CertificateStoreException ex)
        {
            throw new CertificateStoreException($"{which} is malformed: {ex.Message}");
        }

        if (facts.NotAfter < now)
        {
            throw new CertificateStoreException($"{which} ({facts.Subject}) expired on {facts.NotAfter:u}.");
        }

        if (facts.IsWildcard)
        {
            throw new CertificateStoreException($"{which} ({facts.Subject}) is a wildcard certificate; CUCM trust stores refuse them.");
        }

        if (facts.KeySize > MaxKeyBits)
        {
            throw new CertificateStoreException($"{which} ({facts.Subject}) has a {facts.KeySize}-bit key; the maximum is {MaxKeyBits}.");
        }

        if (facts.KeySize == 0)
        {
            throw new CertificateStoreException($"{which} ({facts.Subject}) has an unsupported key type {facts.KeyAlgorithm}.");
        }
    }

    private static bool LooksLikePem(ReadOnlySpan<byte> body)
    {
        var head = Encoding.ASCII.GetString(body[..Math.Min(body.Length, 64)]).TrimStart();
        return head.StartsWith("-----BEGIN", StringComparison.Ordinal);
    }

    private static List<byte[]> ReadPem(ReadOnlySpan<byte> body)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            throw new CertificateStoreException("The PEM upload is not valid text.");
        }

        var result = new List<byte[]>();
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label].ToString();
            if (label.Contains("PRIVATE KEY", StringComparison.Ordinal))
            {
                throw new CertificateStoreException("The upload contains a private key; trust stores take certificates only.");
            }

            if (label != "CERTIFICATE")
            {
                throw new CertificateStoreException($"The PEM block '{Sanitize(label)}' is not a CERTIFICATE.");
            }

            var der = new byte[fields.DecodedDataLength];
            if (!Convert.TryFromBase64Chars(rest[fields.Base64Data], der, out _))
            {
                throw new CertificateStoreException("A PEM CERTIFICATE block has invalid base64.");
            }

            result.Add(der);
            if (result.Count > MaxCertificatesPerUpload)
            {
                throw new CertificateStoreException($"The upload holds more than {MaxCertificatesPerUpload} certificates.");
            }

            rest = rest[fields.Location.End..];
        }

        if (result.Count == 0)
        {
            throw new CertificateStoreException("The PEM upload has no complete CERTIFICATE block.");
        }

        return result;
    }

    private static string Sanitize(string label) =>
        new(label.Take(40).Select(c => char.IsAsciiLetterOrDigit(c) || c == ' ' ? c : '?').ToArray());
}
