using SbdServer.Wire.Signed;
using SbdServer.Wire.Tlv;

namespace SbdServer.Wire.Sgn;

/// <summary><c>.sgn</c> files: a version 1.0 signed header in front of the unchanged file bytes.</summary>
public static class SgnCodec
{
    private const string Context = "Signed file (.sgn)";

    /// <summary>Signs <paramref name="payload"/>; FILENAME is the served name, e.g. <c>SEP...cnf.xml.sgn</c>.</summary>
    public static byte[] Build(
        ReadOnlySpan<byte> payload, string fileName, HashAlgorithmCode hash, uint timestamp, IFileSigner signer)
    {
        var options = new SignedHeaderOptions
        {
            Version = FileVersion.Signed,
            HashAlgorithm = hash,
            FileName = fileName,
            Timestamp = timestamp,
        };
        return SignedFileCodec.Build(options, signer, payload);
    }

    /// <summary>Parses a .sgn; the body is the original file.</summary>
    public static SignedFile Parse(ReadOnlyMemory<byte> file)
    {
        var signed = SignedFileCodec.Parse(file, Context);
        if (signed.Header.Version.Major != 1)
        {
            WireThrow.Format($"{Context}: VERSION {signed.Header.Version} is not 1.x (2.0 is an .enc.sgn).");
        }

        return signed;
    }

    /// <summary>The original file: everything after the header, byte for byte.</summary>
    public static ReadOnlyMemory<byte> Strip(ReadOnlyMemory<byte> file) => Parse(file).Body;
}
