using System.Buffers;
using System.Text;
using SbdServer.Wire.Signed;
using SbdServer.Wire.Tlv;

namespace SbdServer.Wire.Itl;

/// <summary>Builds and parses ITL/CTL files: the signed header (version 1.2) followed by records.</summary>
public static class TrustListCodec
{
    /// <summary>Most SAST records a CTL may carry.</summary>
    public const int MaxCtlSastRecords = 2;

    private const string Context = "Trust list";

    public static byte[] Build(TrustListBuildOptions options, IReadOnlyList<TrustListRecord> records, IFileSigner signer)
    {
        if (records.Count == 0)
        {
            throw new ArgumentException("A trust list needs at least one record.", nameof(records));
        }

        if (records.Count > WireLimits.MaxTrustListRecords)
        {
            throw new ArgumentException(
                $"{records.Count} records exceed the limit of {WireLimits.MaxTrustListRecords}.", nameof(records));
        }

        var sastCount = records.Count(r => r.Role == TrustRole.Sast);
        if (options.IsCtl && sastCount > MaxCtlSastRecords)
        {
            throw new ArgumentException(
                $"A CTL holds at most {MaxCtlSastRecords} SAST records; {sastCount} were given.", nameof(records));
        }

        var body = new ArrayBufferWriter<byte>(records.Count * 1024);
        var writer = new TlvWriter(body);
        foreach (var record in records)
        {
            WriteRecord(writer, options.Blank ? record with { Role = null } : record);
        }

        var header = new SignedHeaderOptions
        {
            Version = FileVersion.TrustList,
            HashAlgorithm = options.HashAlgorithm,
            FileName = options.FileName,
            Timestamp = options.Timestamp,
            SignerVersion = records.Any(r => r.IsEllipticCurve) ? FileVersion.SignerWithEc : null,
        };
        return SignedFileCodec.Build(header, signer, body.WrittenSpan);
    }

    /// <summary>Encoded size of one record (its RECORD LENGTH).</summary>
    public static int RecordLength(TrustListRecord record)
    {
        var length = 5 + 3 + DnsNameBytes(record.DnsName) + TlvWriter.CStringSize(record.SubjectName) +
            3 + (record.Role is null ? 0 : 2) + TlvWriter.CStringSize(record.IssuerName) +
            3 + record.SerialNumber.Length + 3 + record.PublicKey.Length + 3 + record.CertificateSignature.Length;
        length += record.Certificate is null ? 0 : 3 + record.Certificate.Length;
        length += record.IpAddress is null ? 0 : 3 + record.IpAddress.Length;
        length += record.CertificateHash is null ? 0 : 3 + record.CertificateHash.Length;
        length += record.CertificateHashAlgorithm is null ? 0 : 4;
        return length;
    }

    public static void WriteRecord(TlvWriter writer, TrustListRecord record)
    {
        var length = RecordLength(record);
        if (length > ushort.MaxValue)
        {
            WireThrow.TooLarge(Context, $"record for {record.SubjectName.Length}-character subject", length,
                ushort.MaxValue);
        }

        writer.WriteU16(RecordTag.RecordLength, (ushort)length);
        if (record.DnsName.Length == 0)
        {
            writer.WriteTlv(RecordTag.DnsName, [0, 0]);
        }
        else
        {
            writer.WriteCString(RecordTag.DnsName, record.DnsName);
        }

        writer.WriteCString(RecordTag.SubjectName, record.SubjectName);
        if (record.Role is { } role)
        {
            writer.WriteU16(RecordTag.Function, (ushort)role);
        }
        else
        {
            writer.WriteTlv(RecordTag.Function, []);
        }

        writer.WriteCString(RecordTag.IssuerName, record.IssuerName);
        writer.WriteTlv(RecordTag.SerialNumber, record.SerialNumber);
        writer.WriteTlv(RecordTag.PublicKey, record.PublicKey);
        writer.WriteTlv(RecordTag.Signature, record.CertificateSignature);
        if (record.Certificate is not null)
        {
            writer.WriteTlv(RecordTag.Certificate, record.Certificate);
        }

        if (record.IpAddress is not null)
        {
            writer.WriteTlv(RecordTag.IpAddress, record.IpAddress);
        }

        if (record.CertificateHash is not null)
        {
            writer.WriteTlv(RecordTag.CertificateHash, record.CertificateHash);
        }

        if (record.CertificateHashAlgorithm is { } algorithm)
        {
            writer.WriteU8(RecordTag.HashAlgorithm, algorithm);
        }
    }

    /// <summary>Parses header and records; does not verify the signature.</summary>
    public static TrustListFile Parse(ReadOnlyMemory<byte> file)
    {
        var signed = SignedFileCodec.Parse(file, Context);
        if (signed.Header.Version.Major != 1)
        {
            WireThrow.Format($"{Context}: VERSION {signed.Header.Version} is not a 1.x trust list.");
        }

        var records = ParseRecords(signed.Body.Span, signed.Header.HeaderLength);
        var list = new TrustListFile(signed, records);
        var sastCount = records.Count(r => r.Role == TrustRole.Sast);
        if (list.IsCtl && sastCount > MaxCtlSastRecords)
        {
            WireThrow.Format($"{Context}: the CTL holds {sastCount} SAST records; at most {MaxCtlSastRecords} are " +
                "allowed.");
        }

        return list;
    }

    private static List<TrustListRecord> ParseRecords(ReadOnlySpan<byte> body, int baseOffset)
    {
        var records = new List<TrustListRecord>();
        if (body.IsEmpty)
        {
            WireThrow.Format($"{Context}: the file has a header but no records.");
        }

        var position = 0;
        while (position < body.Length)
        {
            if (records.Count == WireLimits.MaxTrustListRecords)
            {
                WireThrow.Format($"{Context}: more than {WireLimits.MaxTrustListRecords} records.");
            }

            var offset = baseOffset + position;
            var reader = new TlvReader(body[position..], $"{Context} record {records.Count + 1}", offset);
            int length = TlvReader.ReadU16(reader.Read(RecordTag.RecordLength, "RECORDLENGTH"), Context,
                "RECORDLENGTH");
            if (length < 5 || length > body.Length - position)
            {
                WireThrow.Format($"{Context}: record {records.Count + 1} at offset {offset} declares RECORDLENGTH " +
                    $"{length}, but between 5 and {body.Length - position} bytes are possible.");
            }

            records.Add(ParseRecord(body.Slice(position + 5, length - 5), offset, length, records.Count + 1));
            position += length;
        }

        return records;
    }

    private static TrustListRecord ParseRecord(ReadOnlySpan<byte> value, int offset, int length, int number)
    {
        var context = $"{Context} record {number}";
        var reader = new TlvReader(value, context, offset + 5);
        uint seen = 0;
        string? dns = null;
        string? subject = null;
        TrustRole? role = null;
        string? issuer = null;
        byte[]? serial = null;
        byte[]? publicKey = null;
        byte[]? signature = null;
        byte[]? certificate = null;
        byte[]? ip = null;
        byte[]? hash = null;
        byte? hashAlgorithm = null;
        while (!reader.IsEnd)
        {
            var element = reader.Read();
            var tag = element.Tag;
            if (tag is < RecordTag.DnsName or > RecordTag.HashAlgorithm)
            {
                WireThrow.Format($"{context}: unknown record tag {tag} at offset {element.Offset}.");
            }

            if ((seen & (1u << tag)) != 0)
            {
                WireThrow.Format($"{context}: tag {tag} appears twice (offset {element.Offset}).");
            }

            seen |= 1u << tag;
            switch (tag)
            {
                case RecordTag.DnsName:
                    dns = TlvReader.ReadCString(element);
                    break;
                case RecordTag.SubjectName:
                    subject = TlvReader.ReadCString(element);
                    break;
                case RecordTag.Function:
                    role = element.Length == 0 ? null : (TrustRole)TlvReader.ReadU16(element, context, "FUNCTION");
                    break;
                case RecordTag.IssuerName:
                    issuer = TlvReader.ReadCString(element);
                    break;
                case RecordTag.SerialNumber:
                    serial = element.Value.ToArray();
                    break;
                case RecordTag.PublicKey:
                    publicKey = element.Value.ToArray();
                    break;
                case RecordTag.Signature:
                    signature = element.Value.ToArray();
                    break;
                case RecordTag.Certificate:
                    certificate = element.Value.ToArray();
                    break;
                case RecordTag.IpAddress:
                    ip = element.Value.ToArray();
                    break;
                case RecordTag.CertificateHash:
                    hash = element.Value.ToArray();
                    break;
                default:
                    hashAlgorithm = TlvReader.ReadU8(element, context, "HASH ALGORITHM");
                    break;
            }
        }

        const uint required = (1u << RecordTag.SubjectName) | (1u << RecordTag.Function) |
            (1u << RecordTag.IssuerName) | (1u << RecordTag.SerialNumber) | (1u << RecordTag.PublicKey);
        if ((seen & required) != required)
        {
            WireThrow.Format($"{context}: SUBJECTNAME (3), FUNCTION (4), ISSUERNAME (5), SERIALNUMBER (6) and " +
                "PUBLICKEY (7) are required.");
        }

        return new TrustListRecord
        {
            DnsName = dns ?? "",
            SubjectName = subject!,
            Role = role,
            IssuerName = issuer!,
            SerialNumber = serial!,
            PublicKey = publicKey!,
            CertificateSignature = signature ?? [],
            Certificate = certificate,
            IpAddress = ip,
            CertificateHash = hash,
            CertificateHashAlgorithm = hashAlgorithm,
            RecordLength = length,
            Offset = offset,
        };
    }

    private static int DnsNameBytes(string dnsName) =>
        dnsName.Length == 0 ? 2 : Encoding.UTF8.GetByteCount(dnsName) + 1;
}
