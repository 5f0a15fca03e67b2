using SbdServer.Wire.EncSgn;
using SbdServer.Wire.Tlv;

namespace SbdServer.Wire.Signed;

/// <summary>
/// Builds and parses the signed header shared by every phone security file. Signing covers the whole file with the
/// SIGNATURE TLV left out (HEADER LENGTH already counts it); the TLV is then inserted after SIGNATURE MODULUS.
/// </summary>
public static class SignedFileCodec
{
    private const int SignatureInfoLength = 15;
    private const int SignatureAlgorithmInfoLength = 8;
    private const int MaxSignatureBytes = 512;

    /// <summary>Size of the header these options and signer produce, padding and signature included.</summary>
    public static int HeaderLength(SignedHeaderOptions options, SignerIdentity signer) =>
        Layout.Of(options, signer).HeaderLength;

    /// <summary>Builds and signs a file whose body is <paramref name="body"/>.</summary>
    public static byte[] Build(SignedHeaderOptions options, IFileSigner signer, ReadOnlySpan<byte> body)
    {
        var layout = Layout.Of(options, signer.Identity);
        var total = layout.HeaderLength + body.Length;
        if (total > WireLimits.MaxFileBytes)
        {
            WireThrow.TooLarge("Signed file", "the file", total, WireLimits.MaxFileBytes);
        }

        // Write the unsigned form contiguously, sign it, then open the hole for the SIGNATURE TLV in place:
        // one allocation for the whole file.
        var result = new byte[total];
        var signedLength = total - layout.SignatureTlvLength;
        var output = new FixedBufferWriter(result.AsMemory(0, signedLength));
        var writer = new TlvWriter(output);
        WriteHeaderPrefix(writer, options, signer.Identity, layout);
        WriteHeaderTail(writer, options, layout);
        writer.WriteRaw(body);
        if (output.Written != signedLength)
        {
            throw new InvalidOperationException(
                $"Header layout computed {signedLength} unsigned bytes but {output.Written} were written.");
        }

        Span<byte> signature = stackalloc byte[MaxSignatureBytes];
        var written = signer.Sign(result.AsSpan(0, signedLength), options.HashAlgorithm, signature);
        if (written != layout.SignatureBytes)
        {
            throw new InvalidOperationException(
                $"The signer returned {written} signature bytes; a {signer.Identity.KeySizeBits}-bit key gives " +
                $"{layout.SignatureBytes}.");
        }

        var at = layout.PrefixLength;
        result.AsSpan(at, signedLength - at).CopyTo(result.AsSpan(at + layout.SignatureTlvLength));
        result[at] = HeaderTag.Signature;
        result[at + 1] = (byte)(layout.SignatureBytes >> 8);
        result[at + 2] = (byte)layout.SignatureBytes;
        signature[..written].CopyTo(result.AsSpan(at + 3));
        return result;
    }

    /// <summary>Parses the header of any signed file and checks its lengths; does not verify the signature.</summary>
    public static SignedFile Parse(ReadOnlyMemory<byte> file, string context = "Signed file")
    {
        var header = ParseHeader(file.Span, context);
        return new SignedFile(header, file);
    }

    private static SignedHeader ParseHeader(ReadOnlySpan<byte> file, string context)
    {
        if (file.IsEmpty)
        {
            WireThrow.Format($"{context}: the file is empty.");
        }

        if (file.Length > WireLimits.MaxFileBytes)
        {
            WireThrow.TooLarge(context, "the file", file.Length, WireLimits.MaxFileBytes);
        }

        var probe = new TlvReader(file, context);
        var versionElement = probe.Read(HeaderTag.Version, "VERSION");
        TlvReader.RequireLength(versionElement, 2, context, "VERSION");
        var version = new FileVersion(versionElement.Value[0], versionElement.Value[1]);
        if (version.Major is not (1 or 2))
        {
            WireThrow.Format($"{context}: VERSION {version} is not 1.x or 2.0.");
        }

        int headerLength = TlvReader.ReadU16(probe.Read(HeaderTag.HeaderLength, "HEADERLENGTH"), context,
            "HEADERLENGTH");
        if (headerLength > file.Length)
        {
            WireThrow.Format($"{context}: HEADERLENGTH {headerLength} is larger than the file ({file.Length} bytes).");
        }

        if (headerLength < probe.Position || headerLength % 4 != 0)
        {
            WireThrow.Format($"{context}: HEADERLENGTH {headerLength} is not a multiple of 4 of at least " +
                $"{probe.Position}.");
        }

        return ReadFields(file[..headerLength], context, version);
    }

    private static SignedHeader ReadFields(ReadOnlySpan<byte> header, string context, FileVersion version)
    {
        var headerLength = header.Length;
        var reader = new TlvReader(header, context);
        reader.Read();
        reader.Read();
        ulong seen = 0;
        var padding = 0;
        FileVersion? signerVersion = null;
        SignerInfo? signerInfo = null;
        (HashAlgorithmCode Hash, byte Algorithm, int KeyBits)? signatureInfo = null;
        byte[]? signature = null;
        var signatureOffset = 0;
        string? fileName = null;
        uint? timestamp = null;
        HashAlgorithmCode? encryptionHash = null;
        byte[]? encryptionDigest = null;
        var encryptionOffset = -1;

        while (!reader.IsEnd)
        {
            var tag = reader.PeekTag();
            if (tag == HeaderTag.Padding)
            {
                reader.ReadByte("PADDING");
                padding++;
                continue;
            }

            if (padding > 0)
            {
                WireThrow.Format($"{context}: tag {tag} at offset {reader.AbsolutePosition} follows header padding.");
            }

            if (tag >= 64 || (seen & (1UL << tag)) != 0)
            {
                WireThrow.Format(tag >= 64
                    ? $"{context}: unknown header tag {tag} at offset {reader.AbsolutePosition}."
                    : $"{context}: header tag {tag} appears twice (offset {reader.AbsolutePosition}).");
            }

            seen |= 1UL << tag;
            var element = reader.Read();
            switch (tag)
            {
                case HeaderTag.SignerVersion:
                    TlvReader.RequireLength(element, 2, context, "SIGNERVERSION");
                    signerVersion = new FileVersion(element.Value[0], element.Value[1]);
                    break;
                case HeaderTag.SignerInfo:
                    signerInfo = ReadSignerInfo(element, context);
                    break;
                case HeaderTag.SignatureInfo:
                    signatureInfo = ReadSignatureInfo(element, context);
                    break;
                case HeaderTag.Signature:
                    signature = element.Value.ToArray();
                    signatureOffset = element.Offset;
                    break;
                case HeaderTag.FileName:
                    fileName = TlvReader.ReadCString(element);
                    break;
                case HeaderTag.Timestamp:
                    timestamp = TlvReader.ReadU32(element, context, "TIMESTAMP");
                    break;
                case HeaderTag.EncryptionInfo:
                    encryptionOffset = element.Offset;
                    break;
                case HeaderTag.EncryptionHashAlgorithm:
                    encryptionHash = HashAlgorithms.FromCode(
                        TlvReader.ReadU8(element, context, "ENCRYPTION HASH ALGORITHM"), context,
                        "ENCRYPTION HASH ALGORITHM");
                    break;
                case HeaderTag.EncryptionHash:
                    encryptionDigest = element.Value.ToArray();
                    break;
                default:
                    WireThrow.Format($"{context}: unknown header tag {tag} at offset {element.Offset}.");
                    break;
            }
        }

        if (signerInfo is null || signatureInfo is null || signature is null)
        {
            WireThrow.Format($"{context}: the header lacks {(signerInfo is null ? "SIGNERID (3)" :
                signatureInfo is null ? "SIGNATUREINFO (7)" : "SIGNATURE (12)")}.");
        }

        var (hash, algorithm, keyBits) = signatureInfo.Value;
        if (signature.Length != keyBits / 8)
        {
            WireThrow.Format($"{context}: SIGNATURE is {signature.Length} bytes but SIGNATUREMODULUS says a " +
                $"{keyBits}-bit key ({keyBits / 8} bytes).");
        }

        var encryption = ReadEncryption(header, context, version, encryptionOffset, encryptionHash, encryptionDigest);
        return new SignedHeader
        {
            Version = version,
            HeaderLength = headerLength,
            SignerVersion = signerVersion,
            SignerName = signerInfo.Name,
            SerialNumber = signerInfo.Serial,
            IssuerName = signerInfo.Issuer,
            SignerInfoLength = signerInfo.Length,
            HashAlgorithm = hash,
            SignatureAlgorithm = algorithm,
            KeySizeBits = keyBits,
            Signature = signature,
            SignatureOffset = signatureOffset,
            FileName = fileName,
            Timestamp = timestamp,
            Encryption = encryption,
            PaddingLength = padding,
        };
    }

    private static EncryptionBlock? ReadEncryption(
        ReadOnlySpan<byte> header,
        string context,
        FileVersion version,
        int offset,
        HashAlgorithmCode? hash,
        byte[]? digest)
    {
        var any = offset >= 0 || hash is not null || digest is not null;
        if (version.Major == 2 && !any)
        {
            WireThrow.Format($"{context}: VERSION {version} needs the encryption tags 16, 26 and 27.");
        }

        if (!any)
        {
            return null;
        }

        if (version.Major != 2)
        {
            WireThrow.Format($"{context}: encryption tags in a VERSION {version} header (only 2.0 has them).");
        }

        if (offset < 0 || hash is null || digest is null)
        {
            WireThrow.Format($"{context}: ENCRYPTIONINFO (16), its hash algorithm (26) and hash (27) must all be " +
                "present.");
        }

        var reader = new TlvReader(header[offset..], context, offset);
        return EncryptionBlockCodec.Read(reader.Read(), hash.Value, digest);
    }

    private sealed record SignerInfo(string Name, byte[] Serial, string Issuer, int Length);

    private static SignerInfo ReadSignerInfo(TlvElement container, string context)
    {
        var reader = new TlvReader(container.Value, "SIGNERID", container.Offset + TlvElement.HeaderSize);
        string? name = null;
        byte[]? serial = null;
        string? issuer = null;
        while (!reader.IsEnd)
        {
            var child = reader.Read();
            switch (child.Tag)
            {
                case HeaderTag.SignerName when name is null:
                    name = TlvReader.ReadCString(child);
                    break;
                case HeaderTag.SerialNumber when serial is null:
                    if (child.Length is 0 or > 64)
                    {
                        WireThrow.Format($"{context}: SERIALNUMBER at offset {child.Offset} is {child.Length} " +
                            "bytes (1..64 allowed).");
                    }

                    serial = child.Value.ToArray();
                    break;
                case HeaderTag.IssuerName when issuer is null:
                    issuer = TlvReader.ReadCString(child);
                    break;
                default:
                    WireThrow.Format($"{context}: unexpected or repeated tag {child.Tag} in SIGNERID at offset " +
                        $"{child.Offset}.");
                    break;
            }
        }

        if (name is null || serial is null || issuer is null)
        {
            WireThrow.Format($"{context}: SIGNERID needs SIGNERNAME (4), SERIALNUMBER (5) and CANAME (6).");
        }

        return new SignerInfo(name, serial, issuer, container.Length);
    }

    private static (HashAlgorithmCode, byte, int) ReadSignatureInfo(TlvElement container, string context)
    {
        var reader = new TlvReader(container.Value, "SIGNATUREINFO", container.Offset + TlvElement.HeaderSize);
        var hash = HashAlgorithms.FromCode(
            TlvReader.ReadU8(reader.Read(HeaderTag.HashAlgorithm, "DIGESTALGORITHM"), context, "DIGESTALGORITHM"),
            context, "DIGESTALGORITHM");
        var info = reader.Read(HeaderTag.SignatureAlgorithmInfo, "SIGNATUREALGOINFO");
        if (!reader.IsEnd)
        {
            WireThrow.Format($"{context}: SIGNATUREINFO has {reader.Remaining} bytes after SIGNATUREALGOINFO.");
        }

        var inner = new TlvReader(info.Value, "SIGNATUREALGOINFO", info.Offset + TlvElement.HeaderSize);
        var algorithm = TlvReader.ReadU8(inner.Read(HeaderTag.SignatureAlgorithm, "SIGNATUREALGORITHM"), context,
            "SIGNATUREALGORITHM");
        if (algorithm != 0)
        {
            WireThrow.Format($"{context}: SIGNATUREALGORITHM {algorithm} is not 0 (RSA).");
        }

        var modulus = TlvReader.ReadU8(inner.Read(HeaderTag.SignatureModulus, "SIGNATUREMODULUS"), context,
            "SIGNATUREMODULUS");
        if (!inner.IsEnd)
        {
            WireThrow.Format($"{context}: SIGNATUREALGOINFO has {inner.Remaining} bytes after SIGNATUREMODULUS.");
        }

        return (hash, algorithm, SignatureModulus.KeySizeForCode(modulus, context));
    }

    private static void WriteHeaderPrefix(
        TlvWriter writer, SignedHeaderOptions options, SignerIdentity signer, Layout layout)
    {
        writer.WriteTlv(HeaderTag.Version, [options.Version.Major, options.Version.Minor]);
        writer.WriteU16(HeaderTag.HeaderLength, (ushort)layout.HeaderLength);
        if (options.SignerVersion is { } signerVersion)
        {
            writer.WriteTlv(HeaderTag.SignerVersion, [signerVersion.Major, signerVersion.Minor]);
        }

        writer.WriteContainer(HeaderTag.SignerInfo, layout.SignerInfoLength);
        writer.WriteCString(HeaderTag.SignerName, signer.SubjectName);
        writer.WriteTlv(HeaderTag.SerialNumber, signer.SerialNumber);
        writer.WriteCString(HeaderTag.IssuerName, signer.IssuerName);
        writer.WriteContainer(HeaderTag.SignatureInfo, SignatureInfoLength);
        writer.WriteU8(HeaderTag.HashAlgorithm, (byte)options.HashAlgorithm);
        writer.WriteContainer(HeaderTag.SignatureAlgorithmInfo, SignatureAlgorithmInfoLength);
        writer.WriteU8(HeaderTag.SignatureAlgorithm, 0);
        writer.WriteU8(HeaderTag.SignatureModulus, layout.ModulusCode);
    }

    private static void WriteHeaderTail(TlvWriter writer, SignedHeaderOptions options, Layout layout)
    {
        if (options.FileName is { } fileName)
        {
            writer.WriteCString(HeaderTag.FileName, fileName);
        }

        writer.WriteU32(HeaderTag.Timestamp, options.Timestamp);
        if (options.Encryption is { } encryption)
        {
            EncryptionBlockCodec.Write(writer, encryption);
        }

        Span<byte> padding = stackalloc byte[3];
        padding.Fill(HeaderTag.Padding);
        writer.WriteRaw(padding[..layout.Padding]);
    }

    private readonly record struct Layout(
        int PrefixLength, int SignatureBytes, int HeaderLength, int SignerInfoLength, int Padding, byte ModulusCode)
    {
        public int SignatureTlvLength => 3 + SignatureBytes;

        public static Layout Of(SignedHeaderOptions options, SignerIdentity signer)
        {
            var modulus = SignatureModulus.CodeForKeySize(signer.KeySizeBits);
            if (signer.SerialNumber.Length is 0 or > 64)
            {
                WireThrow.Format($"Signer serial number is {signer.SerialNumber.Length} bytes (1..64 allowed).");
            }

            var signerInfo = TlvWriter.CStringSize(signer.SubjectName) + 3 + signer.SerialNumber.Length +
                TlvWriter.CStringSize(signer.IssuerName);
            if (signerInfo > WireLimits.MaxValueBytes)
            {
                WireThrow.TooLarge("Signed header", "SIGNERID", signerInfo, WireLimits.MaxValueBytes);
            }

            var prefix = 5 + 5 + (options.SignerVersion is null ? 0 : 5) + 3 + signerInfo + 3 + SignatureInfoLength;
            var signatureBytes = signer.KeySizeBits / 8;
            var tail = (options.FileName is null ? 0 : TlvWriter.CStringSize(options.FileName)) + 7 +
                (options.Encryption is null ? 0 : EncryptionBlockCodec.EncodedLength(options.Encryption));
            var unpadded = prefix + 3 + signatureBytes + tail;
            var padding = (4 - (unpadded % 4)) % 4;
            var headerLength = unpadded + padding;
            if (headerLength > ushort.MaxValue)
            {
                WireThrow.TooLarge("Signed header", "the header", headerLength, ushort.MaxValue);
            }

            return new Layout(prefix, signatureBytes, headerLength, signerInfo, padding, modulus);
        }
    }
}
