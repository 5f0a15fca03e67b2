using SbdServer.Wire.Signed;
using SbdServer.Wire.Tlv;

namespace SbdServer.Wire.EncSgn;

/// <summary>Reads and writes header tags 16..27.</summary>
internal static class EncryptionBlockCodec
{
    private const string Context = "ENCRYPTIONINFO";

    /// <summary>Bytes of tags 16 (with children), 26 and 27.</summary>
    public static int EncodedLength(EncryptionBlock block) =>
        3 + 3 + IvInfoLength(block) + 3 + KeyInfoLength(block) + 3 + 1 + 3 + block.PlaintextHash.Length;

    public static void Write(TlvWriter writer, EncryptionBlock block)
    {
        var ivInfo = IvInfoLength(block);
        var keyInfo = KeyInfoLength(block);
        writer.WriteContainer(HeaderTag.EncryptionInfo, 3 + ivInfo + 3 + keyInfo);
        writer.WriteContainer(HeaderTag.IvInfo, ivInfo);
        writer.WriteU8(HeaderTag.IvReserved, 0);
        writer.WriteTlv(HeaderTag.Iv, block.Iv);
        writer.WriteU16(HeaderTag.IvPadding, block.PaddingCount);
        writer.WriteContainer(HeaderTag.KeyInfo, keyInfo);
        writer.WriteU8(HeaderTag.KeyReserved, 0);
        writer.WriteU16(HeaderTag.KeySize, block.KeySizeBits);
        writer.WriteU8(HeaderTag.KeyAlgorithm, block.KeyAlgorithm);
        writer.WriteTlv(HeaderTag.Key, block.WrappedKey);
        writer.WriteU8(HeaderTag.EncryptionHashAlgorithm, (byte)block.HashAlgorithm);
        writer.WriteTlv(HeaderTag.EncryptionHash, block.PlaintextHash);
    }

    /// <summary>Parses the tag-16 container; tags 26 and 27 are read by the header loop and passed in.</summary>
    public static EncryptionBlock Read(TlvElement container, HashAlgorithmCode hash, byte[] plaintextHash)
    {
        var reader = new TlvReader(container.Value, Context, container.Offset + TlvElement.HeaderSize);
        byte[]? iv = null;
        ushort? padding = null;
        ushort? keySize = null;
        byte? keyAlgorithm = null;
        byte[]? key = null;
        var seenIvInfo = false;
        var seenKeyInfo = false;
        while (!reader.IsEnd)
        {
            var child = reader.Read();
            switch (child.Tag)
            {
                case HeaderTag.IvInfo when !seenIvInfo:
                    seenIvInfo = true;
                    ReadIvInfo(child, ref iv, ref padding);
                    break;
                case HeaderTag.KeyInfo when !seenKeyInfo:
                    seenKeyInfo = true;
                    ReadKeyInfo(child, ref keySize, ref keyAlgorithm, ref key);
                    break;
                default:
                    WireThrow.Format($"{Context}: unexpected or repeated tag {child.Tag} at offset {child.Offset}.");
                    break;
            }
        }

        if (iv is null || padding is null || keySize is null || keyAlgorithm is null || key is null)
        {
            WireThrow.Format($"{Context}: IV (19), PADDING (20), KEY SIZE (23), KEY ALGORITHM (24) and KEY (25) " +
                "are all required.");
        }

        if (padding is < 1 or > 16)
        {
            WireThrow.Format($"{Context}: padding count {padding} is outside 1..16.");
        }

        var expectedHash = HashAlgorithms.DigestSize(hash);
        if (plaintextHash.Length != expectedHash)
        {
            WireThrow.Format($"{Context}: ENCRYPTION HASH is {plaintextHash.Length} bytes; " +
                $"{HashAlgorithms.DisplayName(hash)} needs {expectedHash}.");
        }

        return new EncryptionBlock(iv, padding.Value, keySize.Value, keyAlgorithm.Value, key, hash, plaintextHash);
    }

    private static void ReadIvInfo(TlvElement container, ref byte[]? iv, ref ushort? padding)
    {
        var reader = new TlvReader(container.Value, "IVINFO", container.Offset + TlvElement.HeaderSize);
        var seenReserved = false;
        while (!reader.IsEnd)
        {
            var child = reader.Read();
            switch (child.Tag)
            {
                case HeaderTag.IvReserved when !seenReserved:
                    seenReserved = true;
                    _ = TlvReader.ReadU8(child, "IVINFO", "reserved");
                    break;
                case HeaderTag.Iv when iv is null:
                    TlvReader.RequireLength(child, EncryptionBlock.IvSize, "IVINFO", "IV");
                    iv = child.Value.ToArray();
                    break;
                case HeaderTag.IvPadding when padding is null:
                    padding = TlvReader.ReadU16(child, "IVINFO", "PADDING");
                    break;
                default:
                    WireThrow.Format($"IVINFO: unexpected or repeated tag {child.Tag} at offset {child.Offset}.");
                    break;
            }
        }
    }

    private static void ReadKeyInfo(TlvElement container, ref ushort? keySize, ref byte? algorithm, ref byte[]? key)
    {
        var reader = new TlvReader(container.Value, "KEYINFO", container.Offset + TlvElement.HeaderSize);
        var seenReserved = false;
        while (!reader.IsEnd)
        {
            var child = reader.Read();
            switch (child.Tag)
            {
                case HeaderTag.KeyReserved when !seenReserved:
                    seenReserved = true;
                    _ = TlvReader.ReadU8(child, "KEYINFO", "reserved");
                    break;
                case HeaderTag.KeySize when keySize is null:
                    keySize = TlvReader.ReadU16(child, "KEYINFO", "KEY SIZE");
                    break;
                case HeaderTag.KeyAlgorithm when algorithm is null:
                    algorithm = TlvReader.ReadU8(child, "KEYINFO", "KEY ALGORITHM");
                    break;
                case HeaderTag.Key when key is null:
                    if (child.Length == 0)
                    {
                        WireThrow.Format($"KEYINFO: KEY at offset {child.Offset} is empty.");
                    }

                    key = child.Value.ToArray();
                    break;
                default:
                    WireThrow.Format($"KEYINFO: unexpected or repeated tag {child.Tag} at offset {child.Offset}.");
                    break;
            }
        }
    }

    private static int IvInfoLength(EncryptionBlock block) => 4 + 3 + block.Iv.Length + 5;

    private static int KeyInfoLength(EncryptionBlock block) => 4 + 5 + 4 + 3 + block.WrappedKey.Length;
}
