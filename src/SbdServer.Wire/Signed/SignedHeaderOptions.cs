using SbdServer.Wire.EncSgn;

namespace SbdServer.Wire.Signed;

/// <summary>What a builder puts in a signed header besides the signer's facts.</summary>
public sealed record SignedHeaderOptions
{
    public required FileVersion Version { get; init; }

    public HashAlgorithmCode HashAlgorithm { get; init; } = HashAlgorithmCode.Sha1;

    /// <summary>FILENAME (tag 14), the name the file is served under; omitted when null.</summary>
    public string? FileName { get; init; }

    /// <summary>TIMESTAMP (tag 15), Unix seconds.</summary>
    public required uint Timestamp { get; init; }

    /// <summary>SIGNER VERSION (tag 28); omitted when null, as CUCM does for RSA-only trust lists.</summary>
    public FileVersion? SignerVersion { get; init; }

    /// <summary>Tags 16..27 for an .enc.sgn.</summary>
    public EncryptionBlock? Encryption { get; init; }

    public static uint UnixSeconds(DateTimeOffset time) => (uint)Math.Clamp(time.ToUnixTimeSeconds(), 0, uint.MaxValue);
}
