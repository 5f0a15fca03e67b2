namespace SbdServer.Wire.Tlv;

/// <summary>Caps applied before any buffer is sized from a declared length.</summary>
public static class WireLimits
{
    /// <summary>Largest file any parser accepts. Phones fail above 64 KB for ITLs; configs are a few KB.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>Most records one ITL/CTL may hold (CUCM's 64 KB ITL limit is reached at about 39).</summary>
    public const int MaxTrustListRecords = 256;

    /// <summary>Largest value a TLV with a u16 length can carry.</summary>
    public const int MaxValueBytes = ushort.MaxValue;
}
