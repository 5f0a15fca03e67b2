using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SbdServer.Crypto.Verification;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Signed;

namespace SbdServer.Cli;

/// <summary>Renders a trust list the way CUCM's <c>show itl</c> / <c>show ctl</c> does, or as JSON.</summary>
internal static class TrustListReport
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string Text(byte[] bytes, TrustListFile list, VerificationResult verification)
    {
        var kind = list.IsCtl ? "CTL" : "ITL";
        var header = list.Header;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Length of {kind} file: {bytes.Length}\n");
        text.Append(CultureInfo.InvariantCulture, $"The checksum value of the {kind} file:\n");
        text.Append(Convert.ToHexStringLower(MD5.HashData(bytes))).Append("(MD5)\n");
        text.Append(Convert.ToHexStringLower(SHA1.HashData(bytes))).Append("(SHA1)\n\n");
        text.Append(CultureInfo.InvariantCulture, $"\tParse {kind} File\n\t----------------\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Version:\t{header.Version}\n");
        text.Append(CultureInfo.InvariantCulture, $"HeaderLength:\t{header.HeaderLength} (BYTES)\n\n");
        text.Append("BYTEPOS\tTAG\t\tLENGTH\tVALUE\n-------\t---\t\t------\t-----\n");
        if (header.SignerVersion is { } signerVersion)
        {
            HeaderRow(text, HeaderTag.SignerVersion, 2, signerVersion.ToString());
        }

        HeaderRow(text, HeaderTag.SignerInfo, 2, header.SignerInfoLength.ToString(CultureInfo.InvariantCulture));
        HeaderRow(text, HeaderTag.SignerName, Utf8Length(header.SignerName) + 1, header.SignerName);
        HeaderRow(text, HeaderTag.SerialNumber, header.SerialNumber.Length, Serial(header.SerialNumber));
        HeaderRow(text, HeaderTag.IssuerName, Utf8Length(header.IssuerName) + 1, header.IssuerName);
        HeaderRow(text, HeaderTag.SignatureInfo, 2, "15");
        HeaderRow(text, HeaderTag.HashAlgorithm, 1, HashAlgorithms.DisplayName(header.HashAlgorithm));
        HeaderRow(text, HeaderTag.SignatureAlgorithmInfo, 2, "8");
        HeaderRow(text, HeaderTag.SignatureAlgorithm, 1, "RSA");
        HeaderRow(text, HeaderTag.SignatureModulus, 1, header.KeySizeBits.ToString(CultureInfo.InvariantCulture));
        HeaderRow(text, HeaderTag.Signature, header.Signature.Length, Convert.ToHexStringLower(header.Signature));
        if (header.FileName is { } fileName)
        {
            HeaderRow(text, HeaderTag.FileName, Utf8Length(fileName) + 1, fileName);
        }

        if (header.Timestamp is { } timestamp)
        {
            HeaderRow(text, HeaderTag.Timestamp, 4, Time(timestamp));
        }

        for (var i = 0; i < list.Records.Count; i++)
        {
            AppendRecord(text, list.Records[i], i + 1, kind, SignedBy(verification, i));
        }

        text.Append('\n').Append(verification.IsValid
            ? $"The {kind} file was verified successfully.\n"
            : $"Verification of the {kind} file failed.\n");
        return text.ToString();
    }

    public static string JsonText(byte[] bytes, TrustListFile list, VerificationResult verification)
    {
        var header = list.Header;
        var model = new
        {
            kind = list.IsCtl ? "CTL" : "ITL",
            length = bytes.Length,
            md5 = Convert.ToHexStringLower(MD5.HashData(bytes)),
            sha1 = Convert.ToHexStringLower(SHA1.HashData(bytes)),
            version = header.Version.ToString(),
            headerLength = header.HeaderLength,
            signerVersion = header.SignerVersion?.ToString(),
            signerName = header.SignerName,
            serialNumber = Convert.ToHexStringLower(header.SerialNumber),
            issuerName = header.IssuerName,
            digestAlgorithm = HashAlgorithms.DisplayName(header.HashAlgorithm),
            keySize = header.KeySizeBits,
            fileName = header.FileName,
            timestamp = header.Timestamp,
            records = list.Records.Select((r, i) => new
            {
                recordLength = r.RecordLength,
                dnsName = r.DnsName,
                subjectName = r.SubjectName,
                role = r.Role is { } role ? TrustRoles.DisplayName(role) : null,
                issuerName = r.IssuerName,
                serialNumber = Convert.ToHexStringLower(r.SerialNumber),
                publicKeyLength = r.PublicKey.Length,
                keyAlgorithm = r.IsEllipticCurve ? "EC" : "RSA",
                certificateLength = r.Certificate?.Length,
                certificateSha1 = r.Certificate is null ? null : Convert.ToHexStringLower(SHA1.HashData(r.Certificate)),
                certificateHash = r.CertificateHash is null ? null : Convert.ToHexStringLower(r.CertificateHash),
                ipAddress = r.IpAddress is null ? null : Convert.ToHexStringLower(r.IpAddress),
                signedTheFile = SignedBy(verification, i),
            }).ToList(),
            verified = verification.IsValid,
            verification = verification.Message,
        };
        return JsonSerializer.Serialize(model, Json) + "\n";
    }

    private static void AppendRecord(StringBuilder text, TrustListRecord record, int number, string kind, bool signer)
    {
        text.Append(CultureInfo.InvariantCulture, $"\n\t{kind} Record #:{number}\n\t----\n");
        text.Append("BYTEPOS\tTAG\t\tLENGTH\tVALUE\n-------\t---\t\t------\t-----\n");
        RecordRow(text, RecordTag.RecordLength, 2, record.RecordLength.ToString(CultureInfo.InvariantCulture));
        RecordRow(text, RecordTag.DnsName, record.DnsName.Length == 0 ? 2 : Utf8Length(record.DnsName) + 1, record.DnsName);
        RecordRow(text, RecordTag.SubjectName, Utf8Length(record.SubjectName) + 1, record.SubjectName);
        RecordRow(text, RecordTag.Function, record.Role is null ? 0 : 2, record.Role is { } role ? RoleText(role) : "");
        RecordRow(text, RecordTag.IssuerName, Utf8Length(record.IssuerName) + 1, record.IssuerName);
        RecordRow(text, RecordTag.SerialNumber, record.SerialNumber.Length, Serial(record.SerialNumber));
        RecordRow(text, RecordTag.PublicKey, record.PublicKey.Length, record.IsEllipticCurve ? "EC" : "");
        RecordRow(text, RecordTag.Signature, record.CertificateSignature.Length, "");
        if (record.Certificate is { } certificate)
        {
            RecordRow(text, RecordTag.Certificate, certificate.Length,
                Convert.ToHexString(SHA1.HashData(certificate)) + " (SHA1 Hash HEX)");
        }

        if (record.IpAddress is { } ip)
        {
            RecordRow(text, RecordTag.IpAddress, ip.Length, ip.Length is 4 or 16 ? new System.Net.IPAddress(ip).ToString() :
                Convert.ToHexString(ip));
        }

        if (record.CertificateHash is { } hash)
        {
            RecordRow(text, RecordTag.CertificateHash, hash.Length, Convert.ToHexString(hash));
        }

        if (record.CertificateHashAlgorithm is { } algorithm)
        {
            RecordRow(text, RecordTag.HashAlgorithm, 1, algorithm == 1 ? "SHA-1" : algorithm.ToString(CultureInfo.InvariantCulture));
        }

        if (record.Role == TrustRole.Sast)
        {
            text.Append(signer
                ? $"This etoken was used to sign the {kind} file.\n"
                : $"This etoken was not used to sign the {kind} file.\n");
        }
    }

    // The record the header names signed the file only if its key verifies the signature: after a restore without
    // CallManager.pem (CSCtn50405) the header names the SAST's certificate but another key signed, and CUCM's
    // "show itl" then says that etoken was not used.
    private static bool SignedBy(VerificationResult verification, int record) =>
        verification.IsValid && verification.SignerRecordIndex == record;

    private static string RoleText(TrustRole role) =>
        role == TrustRole.Sast ? "System Administrator Security Token" : TrustRoles.DisplayName(role);

    private static void HeaderRow(StringBuilder text, byte tag, int length, string value) =>
        Row(text, tag, HeaderTag.Name(tag), length, value);

    private static void RecordRow(StringBuilder text, byte tag, int length, string value) =>
        Row(text, tag, RecordTag.Name(tag), length, value);

    private static void Row(StringBuilder text, byte tag, string name, int length, string value) =>
        text.Append(string.Create(CultureInfo.InvariantCulture,
                $"{tag}\t{(name.Length < 8 ? name + "\t" : name)}\t{length}\t{value}").TrimEnd('\t'))
            .Append('\n');

    // CUCM's "show itl" prints serials as colon-separated upper-case bytes (21:00:2D:...); admins compare them by eye.
    private static string Serial(byte[] serial) => Convert.ToHexString(serial) is { Length: > 0 } hex
        ? string.Join(':', Enumerable.Range(0, serial.Length).Select(i => hex.Substring(i * 2, 2)))
        : "";

    private static string Time(uint unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static int Utf8Length(string text) => Encoding.UTF8.GetByteCount(text);
}
