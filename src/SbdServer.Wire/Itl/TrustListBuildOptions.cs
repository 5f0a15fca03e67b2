using SbdServer.Wire.Names;
using SbdServer.Wire.Signed;

namespace SbdServer.Wire.Itl;

/// <summary>How to build an ITL or CTL.</summary>
public sealed record TrustListBuildOptions
{
    /// <summary>FILENAME in the header; CUCM writes <c>ITLFile.tlv</c> even into ITLSEP&lt;MAC&gt;.tlv files.</summary>
    public string FileName { get; init; } = PhoneFileName.ClusterItlName;

    public HashAlgorithmCode HashAlgorithm { get; init; } = HashAlgorithmCode.Sha1;

    public required uint Timestamp { get; init; }

    /// <summary>A CTL: at most two SAST records.</summary>
    public bool IsCtl { get; init; }

    /// <summary>The rollback ITL: still signed, every FUNCTION written blank (tag 4 with an empty value).</summary>
    public bool Blank { get; init; }
}
