using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace SbdServer.Wire.Capf;

/// <summary>
/// Reads and writes whole CAPF messages (formats.md section 6, docs/protocols/capf.md). Parsing is strict: an
/// unknown or repeated element, an element the command does not carry, a wrong fixed length or an oversized value
/// throws <see cref="CapfFormatException"/>, because the server answers a violation by closing the connection.
/// </summary>
public static class CapfCodec
{
    /// <summary>The protocol version this server speaks (VERSION element).</summary>
    public const byte ProtocolVersion = 3;

    /// <summary>Longest device name accepted (CUCM names are 15 characters; be generous, not unbounded).</summary>
    public const int MaxDeviceNameLength = 64;

    /// <summary>Longest authentication string accepted (CUCM: 4-10 digits; capfc allows 16).</summary>
    public const int MaxPasswordLength = 32;

    /// <summary>Largest certificate (LSC, MIC) carried in one element.</summary>
    public const int MaxCertificateBytes = 8 * 1024;

    /// <summary>Largest SubjectPublicKeyInfo (RSA-4096 is about 550 bytes).</summary>
    public const int MaxPublicKeyBytes = 2 * 1024;

    /// <summary>Largest signature (RSA-4096 is 512 bytes).</summary>
    public const int MaxSignatureBytes = 1024;

    private const int ElementHeaderSize = 3;

    /// <summary>Bytes in front of the DER inside a CERTIFICATE value: 0x01, u16 (DER length + 2), 0x00, type.</summary>
    private const int CertificatePrefixSize = 5;

    private static readonly CapfElementTag[] None = [];

    /// <summary>Elements each supported command may carry; commands missing here are refused.</summary>
    private static readonly Dictionary<CapfCommand, CapfElementTag[]> Allowed = new()
    {
        [CapfCommand.AuthRequest] = [CapfElementTag.Version, CapfElementTag.AuthType, CapfElementTag.Reason],
        [CapfCommand.AuthResponse] =
        [
            CapfElementTag.Reason, CapfElementTag.Version, CapfElementTag.Password, CapfElementTag.DeviceName,
            CapfElementTag.CertificateType, CapfElementTag.Certificate, CapfElementTag.SignedData,
            CapfElementTag.Sha2SignedData, CapfElementTag.SudiData, CapfElementTag.AuthType,
        ],
        [CapfCommand.KeyGenerateRequest] = [CapfElementTag.KeySize, CapfElementTag.KeyType, CapfElementTag.Curve],
        [CapfCommand.KeyGenerateResponse] = [CapfElementTag.Reason, CapfElementTag.PublicKey],
        [CapfCommand.StoreCertificateRequest] = [CapfElementTag.CertificateType, CapfElementTag.Certificate],
        [CapfCommand.StoreCertificateResponse] = [CapfElementTag.Reason],
        [CapfCommand.FetchCertificateRequest] = [CapfElementTag.CertificateType],
        [CapfCommand.FetchCertificateResponse] = [CapfElementTag.Reason, CapfElementTag.CertificateType, CapfElementTag.Certificate],
        [CapfCommand.DeleteCertificateRequest] = [CapfElementTag.CertificateType],
        [CapfCommand.DeleteCertificateResponse] = [CapfElementTag.Reason],
        [CapfCommand.EndSession] = [CapfElementTag.Reason, CapfElementTag.ReasonInfo],
        [CapfCommand.RequestInProgress] = None,
        [CapfCommand.RetryLater] = [CapfElementTag.RetryDelay],
    };

    // ---- server -> phone ----

    /// <summary>The server's opening message: VERSION 3 and the AUTH TYPE it expects (capfd sends 0).</summary>
    public static byte[] AuthRequest(uint sessionId, CapfAuthType authType) =>
        new Builder(CapfCommand.AuthRequest, sessionId)
            .U8(CapfElementTag.Version, ProtocolVersion)
            .U8(CapfElementTag.AuthType, (byte)authType)
            .ToArray();

    /// <summary>KEY_GENERATE_REQUEST for RSA of <paramref name="keySize"/> bits or EC on <paramref name="curve"/>.</summary>
    public static byte[] KeyGenerateRequest(uint sessionId, CapfKeyType keyType, ushort keySize, CapfCurve? curve)
    {
        var builder = new Builder(CapfCommand.KeyGenerateRequest, sessionId);
        if (keyType == CapfKeyType.Rsa)
        {
            builder.U16(CapfElementTag.KeySize, keySize);
            builder.U8(CapfElementTag.KeyType, (byte)CapfKeyType.Rsa);
        }
        else
        {
            builder.U8(CapfElementTag.KeyType, (byte)CapfKeyType.Ec);
            builder.U8(CapfElementTag.Curve, (byte)(curve ?? throw new ArgumentException("An EC key needs a curve.", nameof(curve))));
        }

        return builder.ToArray();
    }

    public static byte[] StoreCertificateRequest(uint sessionId, ReadOnlySpan<byte> certificateDer) =>
        new Builder(CapfCommand.StoreCertificateRequest, sessionId)
            .U8(CapfElementTag.CertificateType, (byte)CapfCertificateType.Lsc)
            .Add(CapfElementTag.Certificate, WrapCertificate(certificateDer, CapfCertificateType.Lsc))
            .ToArray();

    public static byte[] FetchCertificateRequest(uint sessionId) =>
        new Builder(CapfCommand.FetchCertificateRequest, sessionId).ToArray();

    public static byte[] DeleteCertificateRequest(uint sessionId) =>
        new Builder(CapfCommand.DeleteCertificateRequest, sessionId).ToArray();

    public static byte[] EndSession(uint sessionId, CapfReason reason) =>
        new Builder(CapfCommand.EndSession, sessionId).U8(CapfElementTag.Reason, (byte)reason).ToArray();

    // ---- phone -> server ----

    /// <summary>AUTH_RESPONSE as a phone (and capfc) writes it; the password travels even when empty (a lone NUL).</summary>
    public static byte[] AuthResponse(
        uint sessionId,
        string deviceName,
        string password,
        ReadOnlySpan<byte> certificateDer = default,
        ReadOnlySpan<byte> signedData = default,
        CapfSha2SignedData? sha2SignedData = null,
        byte version = ProtocolVersion)
    {
        CheckPrintable(deviceName, MaxDeviceNameLength, nameof(deviceName));
        CheckPrintable(password, MaxPasswordLength, nameof(password), allowEmpty: true);
        var builder = new Builder(CapfCommand.AuthResponse, sessionId).U8(CapfElementTag.Reason, (byte)CapfReason.UpdateCertificate);
        if (!certificateDer.IsEmpty)
        {
            builder.Add(CapfElementTag.Certificate, WrapCertificate(certificateDer, CapfCertificateType.Lsc));
            builder.Add(CapfElementTag.SignedData, signedData);
        }

        builder.U8(CapfElementTag.Version, version);
        builder.CString(CapfElementTag.Password, password);
        builder.CString(CapfElementTag.DeviceName, deviceName);
        if (sha2SignedData is not null)
        {
            var signature = sha2SignedData.Signature.Span;
            var value = new byte[ElementHeaderSize + signature.Length];
            value[0] = (byte)sha2SignedData.Digest;
            BinaryPrimitives.WriteUInt16BigEndian(value.AsSpan(1), (ushort)signature.Length);
            signature.CopyTo(value.AsSpan(ElementHeaderSize));
            builder.Add(CapfElementTag.Sha2SignedData, value);
        }

        return builder.ToArray();
    }

    public static byte[] RequestInProgress(uint sessionId) => new Builder(CapfCommand.RequestInProgress, sessionId).ToArray();

    public static byte[] KeyGenerateResponse(uint sessionId, ReadOnlySpan<byte> subjectPublicKeyInfo) =>
        new Builder(CapfCommand.KeyGenerateResponse, sessionId).Add(CapfElementTag.PublicKey, subjectPublicKeyInfo).ToArray();

    public static byte[] StoreCertificateResponse(uint sessionId, CapfReason reason) =>
        new Builder(CapfCommand.StoreCertificateResponse, sessionId).U8(CapfElementTag.Reason, (byte)reason).ToArray();

    /// <summary>FETCH_CERTIFICATE_RESPONSE: REASON 1 with the certificate, or REASON 7 when the phone has none.</summary>
    public static byte[] FetchCertificateResponse(uint sessionId, ReadOnlySpan<byte> certificateDer)
    {
        var builder = new Builder(CapfCommand.FetchCertificateResponse, sessionId);
        if (certificateDer.IsEmpty)
        {
            return builder.U8(CapfElementTag.Reason, (byte)CapfReason.InvalidElement).ToArray();
        }

        return builder.U8(CapfElementTag.Reason, (byte)CapfReason.UpdateCertificate)
            .Add(CapfElementTag.Certificate, WrapCertificate(certificateDer, CapfCertificateType.Lsc))
            .ToArray();
    }

    public static byte[] DeleteCertificateResponse(uint sessionId, CapfReason reason) =>
        new Builder(CapfCommand.DeleteCertificateResponse, sessionId).U8(CapfElementTag.Reason, (byte)reason).ToArray();

    // ---- parsing ----

    /// <summary>Parses a body; <paramref name="body"/> must be exactly the header's declared length.</summary>
    public static CapfMessage Read(in CapfHeader header, ReadOnlySpan<byte> body)
    {
        if (body.Length != header.BodyLength)
        {
            CapfThrow.Format($"CAPF body: header declares {header.BodyLength} bytes, {body.Length} given.");
        }

        if (!Allowed.TryGetValue(header.Command, out var allowed))
        {
            CapfThrow.Format($"CAPF command {(byte)header.Command} is not supported.");
        }

        var elements = new List<KeyValuePair<CapfElementTag, ReadOnlyMemory<byte>>>();
        var offset = 0;
        while (offset < body.Length)
        {
            var remaining = body.Length - offset;
            if (remaining < ElementHeaderSize)
            {
                CapfThrow.Format($"CAPF element at offset {offset}: {remaining} bytes left, an element header needs {ElementHeaderSize}.");
            }

            var tag = body[offset];
            int length = BinaryPrimitives.ReadUInt16BigEndian(body[(offset + 1)..]);
            if (length > remaining - ElementHeaderSize)
            {
                CapfThrow.Format(
                    $"CAPF element {tag} at offset {offset}: declared length {length}, {remaining - ElementHeaderSize} bytes present.");
            }

            if (Array.IndexOf(allowed, (CapfElementTag)tag) < 0)
            {
                CapfThrow.Format($"CAPF element {tag} at offset {offset} is not allowed in command {(byte)header.Command}.");
            }

            if (elements.Exists(e => e.Key == (CapfElementTag)tag))
            {
                CapfThrow.Format($"CAPF element {tag} appears twice.");
            }

            var value = body.Slice(offset + ElementHeaderSize, length);
            CheckLength((CapfElementTag)tag, value.Length, offset);
            elements.Add(new((CapfElementTag)tag, value.ToArray()));
            offset += ElementHeaderSize + length;
        }

        return new CapfMessage(header.Command, header.SessionId, elements);
    }

    /// <summary>Reads a whole message (header + body) from one buffer; for tests and tools.</summary>
    public static CapfMessage Read(ReadOnlySpan<byte> message)
    {
        if (!CapfHeader.TryRead(message, out var header))
        {
            CapfThrow.Format($"CAPF message: {message.Length} bytes, a header needs {CapfHeader.Size}.");
        }

        return Read(header, message[CapfHeader.Size..]);
    }

    /// <summary>The fields of an AUTH_RESPONSE; DEVICE NAME and VERSION are required.</summary>
    public static CapfAuthResponse ReadAuthResponse(CapfMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        RequireCommand(message, CapfCommand.AuthResponse);
        var version = message.GetByte(CapfElementTag.Version) ?? CapfThrow.Format<byte>("CAPF AUTH_RESPONSE has no VERSION element.");
        var name = message.Get(CapfElementTag.DeviceName) is { } n
            ? DecodeCString(n.Span, "DEVICE NAME", MaxDeviceNameLength, allowEmpty: false)
            : CapfThrow.Format<string>("CAPF AUTH_RESPONSE has no DEVICE NAME element.");
        var password = message.Get(CapfElementTag.Password) is { } p
            ? DecodeCString(p.Span, "PASSWORD", MaxPasswordLength, allowEmpty: true)
            : "";
        ReadOnlyMemory<byte>? certificate = message.Get(CapfElementTag.Certificate) is { } c ? UnwrapCertificate(c) : (ReadOnlyMemory<byte>?)null;
        var signed = message.Get(CapfElementTag.SignedData);
        CapfSha2SignedData? sha2 = message.Get(CapfElementTag.Sha2SignedData) is { } s ? DecodeSha2(s) : null;
        if (certificate is null && (signed is not null || sha2 is not null))
        {
            CapfThrow.Format("CAPF AUTH_RESPONSE carries SIGNED DATA without a CERTIFICATE.");
        }

        return new CapfAuthResponse(message.SessionId, version, name, password, certificate, signed, sha2, message.Has(CapfElementTag.SudiData));
    }

    /// <summary>KEY_GENERATE_REQUEST fields: RSA needs KEY SIZE, EC needs CURVE.</summary>
    public static CapfKeyGenerateRequest ReadKeyGenerateRequest(CapfMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        RequireCommand(message, CapfCommand.KeyGenerateRequest);
        var type = message.GetByte(CapfElementTag.KeyType) ?? (byte)CapfKeyType.Rsa;
        var size = message.Get(CapfElementTag.KeySize) is { } k ? BinaryPrimitives.ReadUInt16BigEndian(k.Span) : (ushort?)null;
        var curve = message.GetByte(CapfElementTag.Curve);
        return type switch
        {
            (byte)CapfKeyType.Rsa when size is not null => new CapfKeyGenerateRequest(message.SessionId, CapfKeyType.Rsa, size, null),
            (byte)CapfKeyType.Ec when curve is <= (byte)CapfCurve.P521 =>
                new CapfKeyGenerateRequest(message.SessionId, CapfKeyType.Ec, size, (CapfCurve)curve.Value),
            (byte)CapfKeyType.Rsa => CapfThrow.Format<CapfKeyGenerateRequest>("CAPF KEY_GENERATE_REQUEST for RSA has no KEY SIZE."),
            (byte)CapfKeyType.Ec => CapfThrow.Format<CapfKeyGenerateRequest>("CAPF KEY_GENERATE_REQUEST for EC has no known CURVE."),
            _ => CapfThrow.Format<CapfKeyGenerateRequest>($"CAPF KEY TYPE {type} is unknown."),
        };
    }

    /// <summary>The DER inside a CERTIFICATE element value.</summary>
    public static ReadOnlyMemory<byte> UnwrapCertificate(ReadOnlyMemory<byte> value)
    {
        var span = value.Span;
        if (span.Length <= CertificatePrefixSize)
        {
            CapfThrow.Format($"CAPF CERTIFICATE: {span.Length} bytes, the wrapper alone is {CertificatePrefixSize}.");
        }

        if (span[0] != 0x01 || span[3] != 0x00)
        {
            CapfThrow.Format($"CAPF CERTIFICATE wrapper: bytes 0x{span[0]:X2} and 0x{span[3]:X2}, expected 0x01 and 0x00.");
        }

        var declared = BinaryPrimitives.ReadUInt16BigEndian(span[1..]);
        if (declared != span.Length - 3)
        {
            CapfThrow.Format($"CAPF CERTIFICATE wrapper declares {declared} bytes, {span.Length - 3} present.");
        }

        if (span[4] is not ((byte)CapfCertificateType.Lsc or (byte)CapfCertificateType.Mic))
        {
            CapfThrow.Format($"CAPF CERTIFICATE wrapper: certificate type {span[4]} is unknown.");
        }

        return value[CertificatePrefixSize..];
    }

    private static byte[] WrapCertificate(ReadOnlySpan<byte> der, CapfCertificateType type)
    {
        if (der.IsEmpty || der.Length > MaxCertificateBytes)
        {
            throw new ArgumentException($"A certificate is 1 to {MaxCertificateBytes} bytes, not {der.Length}.", nameof(der));
        }

        var value = new byte[CertificatePrefixSize + der.Length];
        value[0] = 0x01;
        BinaryPrimitives.WriteUInt16BigEndian(value.AsSpan(1), (ushort)(der.Length + 2));
        value[3] = 0x00;
        value[4] = (byte)type;
        der.CopyTo(value.AsSpan(CertificatePrefixSize));
        return value;
    }

    private static CapfSha2SignedData DecodeSha2(ReadOnlyMemory<byte> value)
    {
        var span = value.Span;
        if (span.Length < ElementHeaderSize)
        {
            CapfThrow.Format($"CAPF SHA2 SIGNED DATA: {span.Length} bytes, its header needs {ElementHeaderSize}.");
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(span[1..]);
        if (length != span.Length - ElementHeaderSize || length == 0)
        {
            CapfThrow.Format($"CAPF SHA2 SIGNED DATA declares {length} bytes, {span.Length - ElementHeaderSize} present.");
        }

        return span[0] is (byte)CapfDigest.Sha1 or (byte)CapfDigest.Sha256 or (byte)CapfDigest.Sha512
            ? new CapfSha2SignedData((CapfDigest)span[0], value[ElementHeaderSize..])
            : CapfThrow.Format<CapfSha2SignedData>($"CAPF SHA2 SIGNED DATA: digest type {span[0]} is unknown.");
    }

    private static void CheckLength(CapfElementTag tag, int length, int offset)
    {
        var (min, max) = tag switch
        {
            CapfElementTag.Reason or CapfElementTag.CertificateType or CapfElementTag.Version or CapfElementTag.AuthType
                or CapfElementTag.KeyType or CapfElementTag.Curve or CapfElementTag.DigestType => (1, 1),
            CapfElementTag.KeySize => (2, 2),
            CapfElementTag.RetryDelay => (1, 4),
            CapfElementTag.DeviceName => (1, MaxDeviceNameLength + 1),
            CapfElementTag.Password => (0, MaxPasswordLength + 1),
            CapfElementTag.ReasonInfo => (0, 256),
            CapfElementTag.Certificate => (CertificatePrefixSize + 1, CertificatePrefixSize + MaxCertificateBytes),
            CapfElementTag.PublicKey => (1, MaxPublicKeyBytes),
            CapfElementTag.SignedData => (1, MaxSignatureBytes),
            CapfElementTag.Sha2SignedData => (ElementHeaderSize + 1, ElementHeaderSize + MaxSignatureBytes),
            CapfElementTag.SudiData => (0, 3 * (MaxCertificateBytes + ElementHeaderSize)),
            _ => (0, 1024),
        };
        if (length < min || length > max)
        {
            CapfThrow.Format($"CAPF element {(byte)tag} at offset {offset}: length {length}, expected {min} to {max}.");
        }
    }

    private static void RequireCommand(CapfMessage message, CapfCommand command)
    {
        if (message.Command != command)
        {
            CapfThrow.Format($"CAPF command {(byte)message.Command}, expected {(byte)command}.");
        }
    }

    private static string DecodeCString(ReadOnlySpan<byte> value, string field, int maxLength, bool allowEmpty)
    {
        // NUL-terminated on the wire; tolerate a missing terminator but nothing after it.
        var end = value.IndexOf((byte)0);
        if (end >= 0 && end != value.Length - 1)
        {
            CapfThrow.Format($"CAPF {field}: NUL at offset {end} of {value.Length} bytes, expected only a terminator.");
        }

        var text = end >= 0 ? value[..end] : value;
        if ((text.IsEmpty && !allowEmpty) || text.Length > maxLength)
        {
            CapfThrow.Format($"CAPF {field}: {text.Length} characters, expected {(allowEmpty ? 0 : 1)} to {maxLength}.");
        }

        foreach (var b in text)
        {
            // Printable ASCII only: the name goes into logs and the session log.
            if (b is < 0x21 or > 0x7E)
            {
                CapfThrow.Format($"CAPF {field} contains byte 0x{b:X2}, only printable ASCII is allowed.");
            }
        }

        return Encoding.ASCII.GetString(text);
    }

    private static void CheckPrintable(string value, int maxLength, string name, bool allowEmpty = false)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if ((value.Length == 0 && !allowEmpty) || value.Length > maxLength || value.Any(c => c is < '!' or > '~'))
        {
            throw new ArgumentException($"{name} must be {(allowEmpty ? 0 : 1)} to {maxLength} printable ASCII characters.", name);
        }
    }

    /// <summary>Accumulates elements, then prepends the header once the body length is known.</summary>
    private sealed class Builder(CapfCommand command, uint sessionId)
    {
        private readonly ArrayBufferWriter<byte> _body = new();

        public Builder Add(CapfElementTag tag, ReadOnlySpan<byte> value)
        {
            if (value.Length > ushort.MaxValue)
            {
                throw new ArgumentException($"CAPF element {tag} is {value.Length} bytes, at most {ushort.MaxValue} fit.");
            }

            Span<byte> head = stackalloc byte[ElementHeaderSize];
            head[0] = (byte)tag;
            BinaryPrimitives.WriteUInt16BigEndian(head[1..], (ushort)value.Length);
            _body.Write(head);
            _body.Write(value);
            return this;
        }

        public Builder U8(CapfElementTag tag, byte value) => Add(tag, [value]);

        public Builder U16(CapfElementTag tag, ushort value)
        {
            Span<byte> bytes = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
            return Add(tag, bytes);
        }

        public Builder CString(CapfElementTag tag, string value)
        {
            var bytes = new byte[value.Length + 1];
            Encoding.ASCII.GetBytes(value, bytes);
            return Add(tag, bytes);
        }

        public byte[] ToArray()
        {
            if (_body.WrittenCount > ushort.MaxValue)
            {
                throw new InvalidOperationException($"CAPF body is {_body.WrittenCount} bytes, at most {ushort.MaxValue} fit.");
            }

            var message = new byte[CapfHeader.Size + _body.WrittenCount];
            new CapfHeader(command, sessionId, (ushort)_body.WrittenCount).Write(message);
            _body.WrittenSpan.CopyTo(message.AsSpan(CapfHeader.Size));
            return message;
        }
    }
}
