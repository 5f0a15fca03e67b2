using SbdServer.Wire.Signed;

namespace SbdServer.Wire.Itl;

/// <summary>A parsed ITL or CTL: its signed header and records.</summary>
public sealed class TrustListFile(SignedFile signed, IReadOnlyList<TrustListRecord> records)
{
    public SignedFile Signed { get; } = signed;

    public SignedHeader Header => Signed.Header;

    public IReadOnlyList<TrustListRecord> Records { get; } = records;

    /// <summary>True when every record's FUNCTION is blank (the rollback ITL).</summary>
    public bool IsBlank => Records.Count > 0 && Records.All(r => r.Role is null);

    /// <summary>CTL files are named CTL...; the file name comes from FILENAME (tag 14).</summary>
    public bool IsCtl => Header.FileName?.StartsWith("CTL", StringComparison.OrdinalIgnoreCase) == true;
}
