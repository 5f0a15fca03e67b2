using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using SbdServer.Wire.Signed;

namespace SbdServer.Wire.Itl;

/// <summary>One line of CUCM's <c>show itl</c> table: tag number, tag name, declared length, value as CUCM prints it.</summary>
public sealed record TrustListRow(byte Tag, string Name, int Length, string Value);

/// <summary>One record of a <see cref="TrustListListing"/>, with its rows and whether its key signed the file.</summary>
/// <param name="Role">The FUNCTION as <c>show itl</c> words it, or empty for a blank (rollback) record.</param>
/// <param name="Signer">For a SAST record: whether it is the one that signed the file; null for other records.</param>
public sealed record TrustListRecordListing(int Number, string Role, string SubjectName, IReadOnlyList<TrustListRow> Rows, bool? Signer);

/// <summary>
/// A trust list as CUCM's <c>show itl</c> / <c>show ctl</c> presents it: the one rendering that both <c>sbd tlv show</c>
/// (as text, <see cref="ToText"/>) and the admin UI's Trust Lists page (as tables) use, so they cannot drift apart.
/// </summary>
public sealed record TrustListListing(
    string Kind,
    int Length,
    string Md5,
    string Sha1,
    string Sha256,
    string Version,
    int HeaderLength,
    IReadOnlyList<TrustListRow> Header,
    IReadOnlyList<TrustListRecordListing> Records,
    int? SignerRecordIndex)
{
    /// <summary>The listing of <paramref name="list"/>, parsed from <paramref name="bytes"/>.</summary>
    public static TrustListListing Of(byte[] bytes, TrustListFile list)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(list);
        var kind = list.IsCtl ? "CTL" : "ITL";
        var signer = list.SignerRecordIndex;
        return new TrustListListing(
            kind,
            bytes.Length,
            Convert.ToHexStringLower(MD5.HashData(bytes)),
            Convert.ToHexStringLower(SHA1.HashData(bytes)),
            Convert.ToHexStringLower(SHA256.HashData(bytes)),
            list.Header.Version.ToString(),
            list.Header.HeaderLength,
            HeaderRows(list.Header),
            [.. list.Records.Select((r, i) => RecordOf(r, i, signer))],
            signer);
    }

    /// <summary>CUCM's <c>show itl</c> text, the layout admins know.</summary>
    /// <param name="verified">Whether the signature verified (the caller's crypto): the last line says so.</param>
    public string ToText(bool verified)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Length of {Kind} file: {Length}\n");
        text.Append(CultureInfo.InvariantCulture, $"The checksum value of the {Kind} file:\n");
        text.Append(Md5).Append("(MD5)\n");
        text.Append(Sha1).Append("(SHA1)\n\n");
        text.Append(CultureInfo.InvariantCulture, $"\tParse {Kind} File\n\t----------------\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Version:\t{Version}\n");
        text.Append(CultureInfo.InvariantCulture, $"HeaderLength:\t{HeaderLength} (BYTES)\n\n");
        AppendRows(text, Header);
        foreach (var record in Records)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n\t{Kind} Record #:{record.Number}\n\t----\n");
            AppendRows(text, record.Rows);
            // The record the header names signed the file only if the signature verifies: after a restore without
            // CallManager.pem (CSCtn50405) the header names the SAST's certificate but another key signed, and
            // CUCM's "show itl" then says that etoken was not used.
            if (record.Signer is { } signed)
            {
                text.Append(signed && verified
                    ? $"This etoken was used to sign the {Kind} file.\n"
                    : $"This etoken was not used to sign the {Kind} file.\n");
            }
        }

        text.Append('\n').Append(verified
            ? $"The {Kind} file was verified successfully.\n"
            : $"Verification of the {Kind} file failed.\n");
        return text.ToString();
    }

    /// <summary>CUCM prints serials as colon-separated upper-case bytes (21:00:2D:...); admins compare them by eye.</summary>
    public static string Serial(byte[] serial)
    {
        ArgumentNullException.ThrowIfNull(serial);
        return Convert.ToHexString(serial) is { Length: > 0 } hex
            ? string.Join(':', Enumerable.Range(0, serial.Length).Select(i => hex.Substring(i * 2, 2)))
            : "";
    }

    /// <summary>The FUNCTION as <c>show itl</c> words it.</summary>
    public static string RoleText(TrustRole role) =>
        role == TrustRole.Sast ? "System Administrator Security Token" : TrustRoles.DisplayName(role);

    private static List<TrustListRow> HeaderRows(SignedHeader header)
    {
        var rows = new List<TrustListRow>();
        if (header.SignerVersion is { } signerVersion)
        {
            rows.Add(HeaderRow(HeaderTag.SignerVersion, 2, signerVersion.ToString()));
        }

        rows.Add(HeaderRow(HeaderTag.SignerInfo, 2, header.SignerInfoLength.ToString(CultureInfo.InvariantCulture)));
        rows.Add(HeaderRow(HeaderTag.SignerName, Utf8Length(header.SignerName) + 1, header.SignerName));
        rows.Add(HeaderRow(HeaderTag.SerialNumber, header.SerialNumber.Length, Serial(header.SerialNumber)));
        rows.Add(HeaderRow(HeaderTag.IssuerName, Utf8Length(header.IssuerName) + 1, header.IssuerName));
        rows.Add(HeaderRow(HeaderTag.SignatureInfo, 2, "15"));
        rows.Add(HeaderRow(HeaderTag.HashAlgorithm, 1, HashAlgorithms.DisplayName(header.HashAlgorithm)));
        rows.Add(HeaderRow(HeaderTag.SignatureAlgorithmInfo, 2, "8"));
        rows.Add(HeaderRow(HeaderTag.SignatureAlgorithm, 1, "RSA"));
        rows.Add(HeaderRow(HeaderTag.SignatureModulus, 1, header.KeySizeBits.ToString(CultureInfo.InvariantCulture)));
        rows.Add(HeaderRow(HeaderTag.Signature, header.Signature.Length, Convert.ToHexStringLower(header.Signature)));
        if (header.FileName is { } fileName)
        {
            rows.Add(HeaderRow(HeaderTag.FileName, Utf8Length(fileName) + 1, fileName));
        }

        if (header.Timestamp is { } timestamp)
        {
            rows.Add(HeaderRow(HeaderTag.Timestamp, 4,
                DateTimeOffset.FromUnixTimeSeconds(timestamp).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    private static TrustListRecordListing RecordOf(TrustListRecord record, int index, int? signer)
    {
        var rows = new List<TrustListRow>
        {
            RecordRow(RecordTag.RecordLength, 2, record.RecordLength.ToString(CultureInfo.InvariantCulture)),
            RecordRow(RecordTag.DnsName, record.DnsName.Length == 0 ? 2 : Utf8Length(record.DnsName) + 1, record.DnsName),
            RecordRow(RecordTag.SubjectName, Utf8Length(record.SubjectName) + 1, record.SubjectName),
            RecordRow(RecordTag.Function, record.Role is null ? 0 : 2, record.Role is { } role ? RoleText(role) : ""),
            RecordRow(RecordTag.IssuerName, Utf8Length(record.IssuerName) + 1, record.IssuerName),
            RecordRow(RecordTag.SerialNumber, record.SerialNumber.Length, Serial(record.SerialNumber)),
            RecordRow(RecordTag.PublicKey, record.PublicKey.Length, record.IsEllipticCurve ? "EC" : ""),
            RecordRow(RecordTag.Signature, record.CertificateSignature.Length, ""),
        };
        if (record.Certificate is { } certificate)
        {
            rows.Add(RecordRow(RecordTag.Certificate, certificate.Length,
                Convert.ToHexString(SHA1.HashData(certificate)) + " (SHA1 Hash HEX)"));
        }

        if (record.IpAddress is { } ip)
        {
            rows.Add(RecordRow(RecordTag.IpAddress, ip.Length,
                ip.Length is 4 or 16 ? new IPAddress(ip).ToString() : Convert.ToHexString(ip)));
        }

        if (record.CertificateHash is { } hash)
        {
            rows.Add(RecordRow(RecordTag.CertificateHash, hash.Length, Convert.ToHexString(hash)));
        }

        if (record.CertificateHashAlgorithm is { } algorithm)
        {
            rows.Add(RecordRow(RecordTag.HashAlgorithm, 1, algorithm == 1 ? "SHA-1" : algorithm.ToString(CultureInfo.InvariantCulture)));
        }

        return new TrustListRecordListing(
            index + 1,
            record.Role is { } named ? RoleText(named) : "",
            record.SubjectName,
            rows,
            record.Role == TrustRole.Sast ? signer == index : null);
    }

    private static TrustListRow HeaderRow(byte tag, int length, string value) => new(tag, HeaderTag.Name(tag), length, value);

    private static TrustListRow RecordRow(byte tag, int length, string value) => new(tag, RecordTag.Name(tag), length, value);

    private static void AppendRows(StringBuilder text, IReadOnlyList<TrustListRow> rows)
    {
        text.Append("BYTEPOS\tTAG\t\tLENGTH\tVALUE\n-------\t---\t\t------\t-----\n");
        foreach (var row in rows)
        {
            text.Append(string.Create(CultureInfo.InvariantCulture,
                    $"{row.Tag}\t{(row.Name.Length < 8 ? row.Name + "\t" : row.Name)}\t{row.Length}\t{row.Value}").TrimEnd('\t'))
                .Append('\n');
        }
    }

    private static int Utf8Length(string text) => Encoding.UTF8.GetByteCount(text);
}
