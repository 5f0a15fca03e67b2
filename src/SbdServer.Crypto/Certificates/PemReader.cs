using System.Security.Cryptography;
using System.Text;
using SbdServer.Core.Certificates;

namespace SbdServer.Crypto.Certificates;

/// <summary>Splits PEM text into blocks, refusing damaged armour instead of silently skipping it.</summary>
internal static class PemReader
{
    private const string BeginMarker = "-----BEGIN ";

    /// <summary>True when the bytes look like PEM text rather than DER.</summary>
    public static bool LooksLikePem(ReadOnlySpan<byte> input) =>
        input.IndexOf("-----BEGIN "u8) >= 0;

    public static List<PemBlock> ReadBlocks(ReadOnlySpan<byte> input)
    {
        if (input.Length > ICertificateCodec.MaxInputBytes)
        {
            throw new CertificateImportException(
                $"The input is {input.Length} bytes; the limit is {ICertificateCodec.MaxInputBytes}.");
        }

        var text = Encoding.UTF8.GetString(input);
        if (text.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            throw new CertificateImportException(
                "Legacy OpenSSL-encrypted PEM keys are not supported; convert with 'openssl pkcs8 -topk8'.");
        }

        var blocks = new List<PemBlock>();
        var remaining = text.AsSpan();
        while (PemEncoding.TryFind(remaining, out var fields))
        {
            var label = remaining[fields.Label].ToString();
            var der = new byte[fields.DecodedDataLength];
            if (!Convert.TryFromBase64Chars(remaining[fields.Base64Data], der, out var written) || written != der.Length)
            {
                throw new CertificateImportException($"PEM block '{label}' has invalid base64 contents.");
            }

            blocks.Add(new PemBlock(label, der));
            remaining = remaining[fields.Location.End..];
        }

        var markers = CountMarkers(text);
        if (markers != blocks.Count)
        {
            throw new CertificateImportException(
                $"The PEM text has {markers} BEGIN markers but only {blocks.Count} well-formed blocks; "
                + "a block is damaged (bad base64, missing END line or mismatched labels).");
        }

        return blocks;
    }

    private static int CountMarkers(string text)
    {
        var count = 0;
        for (var i = text.IndexOf(BeginMarker, StringComparison.Ordinal); i >= 0;
             i = text.IndexOf(BeginMarker, i + BeginMarker.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
