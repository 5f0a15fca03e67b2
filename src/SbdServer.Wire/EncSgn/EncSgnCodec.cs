using SbdServer.Wire.Signed;
using SbdServer.Wire.Tlv;

namespace SbdServer.Wire.EncSgn;

/// <summary><c>.enc.sgn</c> files: a version 2.0 signed header with tags 16..27, then the AES-CBC ciphertext.</summary>
public static class EncSgnCodec
{
    /// <summary>AES block size; the ciphertext is a whole number of blocks.</summary>
    public const int BlockSize = 16;

    private const string Context = "Encrypted file (.enc.sgn)";

    public static byte[] Build(
        EncryptionBlock encryption,
        ReadOnlySpan<byte> ciphertext,
        string fileName,
        HashAlgorithmCode hash,
        uint timestamp,
        IFileSigner signer)
    {
        if (ciphertext.IsEmpty || ciphertext.Length % BlockSize != 0)
        {
            throw new ArgumentException(
                $"Ciphertext of {ciphertext.Length} bytes is not a positive multiple of {BlockSize}.",
                nameof(ciphertext));
        }

        var options = new SignedHeaderOptions
        {
            Version = FileVersion.Encrypted,
            HashAlgorithm = hash,
            FileName = fileName,
            Timestamp = timestamp,
            Encryption = encryption,
        };
        return SignedFileCodec.Build(options, signer, ciphertext);
    }

    /// <summary>Parses an .enc.sgn and checks the ciphertext shape; the body is the ciphertext.</summary>
    public static SignedFile Parse(ReadOnlyMemory<byte> file)
    {
        var signed = SignedFileCodec.Parse(file, Context);
        if (signed.Header.Encryption is not { } encryption)
        {
            return WireThrow.Format<SignedFile>($"{Context}: VERSION {signed.Header.Version} header without " +
                "encryption tags; this is not an .enc.sgn.");
        }

        var length = signed.Body.Length;
        if (length == 0 || length % BlockSize != 0)
        {
            WireThrow.Format($"{Context}: the ciphertext is {length} bytes, not a positive multiple of {BlockSize}.");
        }

        if (encryption.PaddingCount > length)
        {
            WireThrow.Format($"{Context}: padding count {encryption.PaddingCount} exceeds the ciphertext ({length}).");
        }

        return signed;
    }

    /// <summary>The 0x0D padding count for a plaintext: 16 - (length % 16), so 1..16.</summary>
    public static int PaddingFor(int plaintextLength) => BlockSize - (plaintextLength % BlockSize);
}
