namespace SbdServer.Wire.Tvs;

/// <summary>Value of the STATUS element.</summary>
public enum TvsStatus : byte
{
    Valid = 0,
    Invalid = 1,
}
