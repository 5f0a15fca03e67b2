namespace SbdServer.Wire.EncSgn;

/// <summary>What the signed stub <c>SEP&lt;MAC&gt;.cnf.xml.sgn</c> tells a phone whose full config is encrypted.</summary>
public sealed record EncryptedConfigStubOptions
{
    /// <summary>Hex MD5 of the phone certificate DER (LSC, or MIC without one).</summary>
    public required string CertificateHash { get; init; }

    /// <summary><c>ipAddressMode</c> (0 IPv4 only, 1 IPv6 only, 2 both); omitted when null.</summary>
    public int? IpAddressMode { get; init; }

    /// <summary><c>loadInformation</c> (the firmware load name); omitted when null.</summary>
    public string? LoadInformation { get; init; }

    /// <summary><c>capfAuthMode</c>: 0 automatic, 1 authentication string, 2 null string, 3 LSC, 4 MIC.</summary>
    public int CapfAuthMode { get; init; }

    /// <summary>CAPF servers (host name, port) for <c>capfList</c>.</summary>
    public IReadOnlyList<(string ProcessNodeName, int PhonePort)> CapfServers { get; init; } = [];
}
