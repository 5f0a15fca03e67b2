using SbdServer.Wire.EncSgn;

namespace SbdServer.Wire.Signed;

/// <summary>The parsed signed header of an ITL/CTL, .sgn or .enc.sgn file.</summary>
public sealed record SignedHeader
{
    public required FileVersion Version { get; init; }

    /// <summary>Bytes from the file start to the first record / payload byte, padding and signature included.</summary>
    public required int HeaderLength { get; init; }

    /// <summary>Tag 28 when present (1.1 announces EC keys in the records).</summary>
    public FileVersion? SignerVersion { get; init; }

    public required string SignerName { get; init; }

    public required byte[] SerialNumber { get; init; }

    public required string IssuerName { get; init; }

    /// <summary>Length of the SIGNER INFO container's value (<c>show itl</c> prints it as <c>3 SIGNERID 2 n</c>).</summary>
    public int SignerInfoLength { get; init; }

    public required HashAlgorithmCode HashAlgorithm { get; init; }

    /// <summary>Tag 10; 0 is RSA, the only value phones know.</summary>
    public byte SignatureAlgorithm { get; init; }

    /// <summary>RSA key size from the SIGNATURE MODULUS code.</summary>
    public required int KeySizeBits { get; init; }

    public required byte[] Signature { get; init; }

    /// <summary>Offset of the SIGNATURE TLV's tag byte.</summary>
    public required int SignatureOffset { get; init; }

    public string? FileName { get; init; }

    /// <summary>Unix seconds from tag 15.</summary>
    public uint? Timestamp { get; init; }

    /// <summary>Tags 16..27 (only in .enc.sgn files).</summary>
    public EncryptionBlock? Encryption { get; init; }

    /// <summary>Number of PADDING bytes at the end of the header.</summary>
    public int PaddingLength { get; init; }
}
