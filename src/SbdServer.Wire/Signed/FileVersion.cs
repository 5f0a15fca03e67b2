namespace SbdServer.Wire.Signed;

/// <summary>A two-byte <c>major.minor</c> version (header VERSION and SIGNER VERSION).</summary>
public readonly record struct FileVersion(byte Major, byte Minor)
{
    /// <summary>ITL and CTL files.</summary>
    public static FileVersion TrustList { get; } = new(1, 2);

    /// <summary>Signed files (<c>.sgn</c>).</summary>
    public static FileVersion Signed { get; } = new(1, 0);

    /// <summary>Encrypted signed files (<c>.enc.sgn</c>).</summary>
    public static FileVersion Encrypted { get; } = new(2, 0);

    /// <summary>Signer version that tells newer phones EC keys are allowed in the records.</summary>
    public static FileVersion SignerWithEc { get; } = new(1, 1);

    public override string ToString() => $"{Major}.{Minor}";
}
