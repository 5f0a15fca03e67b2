using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace SbdServer.Wire.Tvs;

/// <summary>
/// Reads and writes whole TVS messages (docs/protocols/tvs.md). Requests are parsed strictly: unknown or repeated
/// elements, missing mandatory elements and out-of-range values throw <see cref="TvsFormatException"/>, because the
/// server answers a violation by closing the connection rather than guessing.
/// </summary>
public static class TvsCodec
{
    /// <summary>Longest device name accepted (CUCM device names are at most 15 characters plus the model).</summary>
    public const int MaxDeviceNameLength = 64;

    /// <summary>Longest DN accepted in a QUERY request, in bytes.</summary>
    public const int MaxDistinguishedNameLength = 1024;

    /// <summary>Longest serial accepted in a QUERY request (RFC 5280 allows 20 octets; be generous, not unbounded).</summary>
    public const int MaxSerialNumberLength = 64;

    /// <summary>First byte of the DEVICE NAME value as phones send it.</summary>
    public const byte DeviceNamePrefix = 0x01;

    private const int ElementHeaderSize = 3;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The whole message (header + body) for a request.</summary>
    public static byte[] Write(TvsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var deviceName = EncodeDeviceName(request.DeviceName);
        var builder = new ElementBuilder();
        builder.Add(TvsElementTag.DeviceName, deviceName);
        switch (request)
        {
            case TvsVerifyRequest verify:
                builder.Add(TvsElementTag.Certificate, verify.Certificate.Span);
                break;
            case TvsQueryRequest query:
                if (query.SubjectName is not null)
                {
                    builder.Add(TvsElementTag.SubjectName, EncodeDn(query.SubjectName));
                }

                builder.Add(TvsElementTag.IssuerName, EncodeDn(query.IssuerName));
                builder.Add(TvsElementTag.SerialNumber, query.SerialNumber.Span);
                break;
            default:
                throw new ArgumentException($"Unsupported request type {request.GetType().Name}.", nameof(request));
        }

        return builder.ToMessage(request.Command, request.SessionId, reserved: 0);
    }

    /// <summary>The whole message (header + body) for a response; STATUS first, as CUCM orders it.</summary>
    public static byte[] Write(TvsResponse response, byte reserved = TvsHeader.CucmResponseReserved)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Command is not (TvsCommand.VerifyResponse or TvsCommand.QueryResponse))
        {
            throw new ArgumentException($"Command {response.Command} is not a response.", nameof(response));
        }

        var builder = new ElementBuilder();
        builder.Add(TvsElementTag.Status, [(byte)response.Status]);
        if (!response.Certificate.IsEmpty)
        {
            builder.Add(TvsElementTag.Certificate, response.Certificate.Span);
        }

        if (!response.Roles.IsEmpty)
        {
            builder.Add(TvsElementTag.Roles, response.Roles.Span);
        }

        if (response.TtlSeconds is { } ttl)
        {
            Span<byte> ttlBytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(ttlBytes, ttl);
            builder.Add(TvsElementTag.Ttl, ttlBytes);
        }

        return builder.ToMessage(response.Command, response.SessionId, reserved);
    }

    /// <summary>Parses a request body; <paramref name="body"/> must be exactly the header's declared length.</summary>
    public static TvsRequest ReadRequest(in TvsHeader header, ReadOnlySpan<byte> body)
    {
        CheckBodyLength(header, body);
        string? deviceName = null;
        ReadOnlyMemory<byte>? certificate = null;
        string? subject = null;
        string? issuer = null;
        ReadOnlyMemory<byte>? serial = null;

        var isVerify = header.Command switch
        {
            TvsCommand.VerifyRequest => true,
            TvsCommand.QueryRequest => false,
            TvsCommand.VerifyResponse or TvsCommand.QueryResponse =>
                TvsThrow.Format<bool>($"TVS command {(byte)header.Command} is a response, expected a request."),
            _ => TvsThrow.Format<bool>($"TVS command {(byte)header.Command} is unknown."),
        };

        var reader = new TvsElementReader(body);
        while (reader.TryRead(out var tag, out var value))
        {
            switch (tag)
            {
                case (byte)TvsElementTag.DeviceName:
                    EnsureFirst(deviceName is null, tag);
                    deviceName = DecodeDeviceName(value);
                    break;
                case (byte)TvsElementTag.Certificate when isVerify:
                    EnsureFirst(certificate is null, tag);
                    if (value.IsEmpty)
                    {
                        TvsThrow.Format("TVS CERTIFICATE element is empty.");
                    }

                    certificate = value.ToArray();
                    break;
                case (byte)TvsElementTag.SubjectName when !isVerify:
                    EnsureFirst(subject is null, tag);
                    subject = DecodeDn(value, "SUBJECT NAME");
                    break;
                case (byte)TvsElementTag.IssuerName when !isVerify:
                    EnsureFirst(issuer is null, tag);
                    issuer = DecodeDn(value, "ISSUER NAME");
                    break;
                case (byte)TvsElementTag.SerialNumber when !isVerify:
                    EnsureFirst(serial is null, tag);
                    if (value.IsEmpty || value.Length > MaxSerialNumberLength)
                    {
                        TvsThrow.Format($"TVS SERIAL NUMBER element: length {value.Length}, expected 1 to {MaxSerialNumberLength}.");
                    }

                    serial = value.ToArray();
                    break;
                default:
                    TvsThrow.Format($"TVS element {tag} at offset {reader.ElementOffset} is not allowed in command {(byte)header.Command}.");
                    break;
            }
        }

        if (deviceName is null)
        {
            TvsThrow.Format("TVS request has no DEVICE NAME element.");
        }

        if (isVerify)
        {
            return certificate is { } der
                ? new TvsVerifyRequest(header.SessionId, deviceName, der)
                : TvsThrow.Format<TvsRequest>("TVS VERIFY request has no CERTIFICATE element.");
        }

        if (issuer is null || serial is null)
        {
            TvsThrow.Format("TVS QUERY request needs ISSUER NAME and SERIAL NUMBER elements.");
        }

        return new TvsQueryRequest(header.SessionId, deviceName, subject, issuer, serial.Value);
    }

    /// <summary>Parses a response body; <paramref name="body"/> must be exactly the header's declared length.</summary>
    public static TvsResponse ReadResponse(in TvsHeader header, ReadOnlySpan<byte> body)
    {
        CheckBodyLength(header, body);
        if (header.Command is not (TvsCommand.VerifyResponse or TvsCommand.QueryResponse))
        {
            TvsThrow.Format($"TVS command {(byte)header.Command} is a request, expected a response.");
        }

        TvsStatus? status = null;
        ReadOnlyMemory<byte> certificate = default;
        ReadOnlyMemory<byte> roles = default;
        uint? ttl = null;
        var reader = new TvsElementReader(body);
        while (reader.TryRead(out var tag, out var value))
        {
            switch (tag)
            {
                case (byte)TvsElementTag.Status:
                    EnsureFirst(status is null, tag);
                    status = value.Length != 1
                        ? TvsThrow.Format<TvsStatus>($"TVS STATUS element: length {value.Length}, expected 1.")
                        : value[0] switch
                        {
                            0 => TvsStatus.Valid,
                            1 => TvsStatus.Invalid,
                            var other => TvsThrow.Format<TvsStatus>($"TVS STATUS value {other} is unknown."),
                        };
                    break;
                case (byte)TvsElementTag.Certificate:
                    EnsureFirst(certificate.IsEmpty, tag);
                    certificate = value.ToArray();
                    break;
                case (byte)TvsElementTag.Roles:
                    EnsureFirst(roles.IsEmpty, tag);
                    roles = value.ToArray();
                    break;
                case (byte)TvsElementTag.Ttl:
                    EnsureFirst(ttl is null, tag);
                    ttl = value.Length != 4
                        ? TvsThrow.Format<uint>($"TVS TTL element: length {value.Length}, expected 4.")
                        : BinaryPrimitives.ReadUInt32BigEndian(value);
                    break;
                default:
                    TvsThrow.Format($"TVS element {tag} at offset {reader.ElementOffset} is not allowed in a response.");
                    break;
            }
        }

        return status is { } s
            ? new TvsResponse(header.Command, header.SessionId, s, certificate, roles, ttl)
            : TvsThrow.Format<TvsResponse>("TVS response has no STATUS element.");
    }

    private static void CheckBodyLength(in TvsHeader header, ReadOnlySpan<byte> body)
    {
        if (body.Length != header.BodyLength)
        {
            TvsThrow.Format($"TVS body: header declares {header.BodyLength} bytes, {body.Length} given.");
        }
    }

    private static void EnsureFirst(bool first, byte tag)
    {
        if (!first)
        {
            TvsThrow.Format($"TVS element {tag} appears twice.");
        }
    }

    private static string DecodeDeviceName(ReadOnlySpan<byte> value)
    {
        // The first byte is 0x01 in every capture; its meaning is unknown, so it is skipped rather than judged.
        var name = value.IsEmpty ? value : value[1..];
        while (!name.IsEmpty && name[^1] == 0)
        {
            name = name[..^1];
        }

        if (name.IsEmpty || name.Length > MaxDeviceNameLength)
        {
            TvsThrow.Format($"TVS DEVICE NAME: {name.Length} characters, expected 1 to {MaxDeviceNameLength}.");
        }

        foreach (var b in name)
        {
            // Printable ASCII only: the name goes into logs and the query log verbatim.
            if (b is < 0x21 or > 0x7E)
            {
                TvsThrow.Format($"TVS DEVICE NAME contains byte 0x{b:X2}, only printable ASCII is allowed.");
            }
        }

        return Encoding.ASCII.GetString(name);
    }

    private static byte[] EncodeDeviceName(string deviceName)
    {
        if (deviceName.Length is 0 or > MaxDeviceNameLength || deviceName.Any(c => c is < '!' or > '~'))
        {
            throw new ArgumentException(
                $"Device name must be 1 to {MaxDeviceNameLength} printable ASCII characters.", nameof(deviceName));
        }

        var bytes = new byte[deviceName.Length + 1];
        bytes[0] = DeviceNamePrefix;
        Encoding.ASCII.GetBytes(deviceName, bytes.AsSpan(1));
        return bytes;
    }

    private static string DecodeDn(ReadOnlySpan<byte> value, string field)
    {
        if (value.Length > MaxDistinguishedNameLength)
        {
            TvsThrow.Format($"TVS {field}: {value.Length} bytes, at most {MaxDistinguishedNameLength} accepted.");
        }

        // DNs travel NUL-terminated; tolerate a missing terminator but nothing after it.
        var end = value.IndexOf((byte)0);
        if (end >= 0 && end != value.Length - 1)
        {
            TvsThrow.Format($"TVS {field}: NUL at offset {end} of {value.Length} bytes, expected only a terminator.");
        }

        var text = end >= 0 ? value[..end] : value;
        if (text.IsEmpty)
        {
            TvsThrow.Format($"TVS {field} is empty.");
        }

        string decoded;
        try
        {
            decoded = StrictUtf8.GetString(text);
        }
        catch (DecoderFallbackException)
        {
            return TvsThrow.Format<string>($"TVS {field} is not valid UTF-8.");
        }

        if (decoded.Any(char.IsControl))
        {
            TvsThrow.Format($"TVS {field} contains a control character.");
        }

        return decoded;
    }

    private static byte[] EncodeDn(string dn)
    {
        var bytes = new byte[StrictUtf8.GetByteCount(dn) + 1];
        StrictUtf8.GetBytes(dn, bytes);
        if (bytes.Length > MaxDistinguishedNameLength)
        {
            throw new ArgumentException($"DN longer than {MaxDistinguishedNameLength} bytes.", nameof(dn));
        }

        return bytes;
    }

    /// <summary>Accumulates elements, then prepends the header once the body length is known.</summary>
    private sealed class ElementBuilder
    {
        private readonly ArrayBufferWriter<byte> _body = new();

        public void Add(TvsElementTag tag, ReadOnlySpan<byte> value)
        {
            if (value.Length > ushort.MaxValue)
            {
                throw new ArgumentException($"TVS element {tag} is {value.Length} bytes, at most {ushort.MaxValue} fit.");
            }

            Span<byte> head = stackalloc byte[ElementHeaderSize];
            head[0] = (byte)tag;
            BinaryPrimitives.WriteUInt16BigEndian(head[1..], (ushort)value.Length);
            _body.Write(head);
            _body.Write(value);
        }

        public byte[] ToMessage(TvsCommand command, uint sessionId, byte reserved)
        {
            if (_body.WrittenCount > ushort.MaxValue)
            {
                throw new InvalidOperationException($"TVS body is {_body.WrittenCount} bytes, at most {ushort.MaxValue} fit.");
            }

            var message = new byte[TvsHeader.Size + _body.WrittenCount];
            new TvsHeader(command, sessionId, (ushort)_body.WrittenCount, reserved).Write(message);
            _body.WrittenSpan.CopyTo(message.AsSpan(TvsHeader.Size));
            return message;
        }
    }
}
