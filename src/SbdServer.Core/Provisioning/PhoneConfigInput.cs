using SbdServer.Core.Devices;

namespace SbdServer.Core.Provisioning;

/// <summary>Everything that goes into one <c>SEP&lt;MAC&gt;.cnf.xml</c>; equal inputs give equal bytes.</summary>
/// <param name="GroupMembers">The device pool's CallManager group in priority order (1 to 3 nodes).</param>
/// <param name="CapfNode">The node running CAPF, or null when none does.</param>
/// <param name="CertificateMd5Hex">MD5 of the phone's LSC/MIC DER, lower-case hex, or null when unknown.</param>
/// <param name="SecureUrls">"Secured Phone URL Parameters": https on 8443 instead of http on 8080.</param>
public sealed record PhoneConfigInput(
    DeviceName Device,
    DeviceProtocol Protocol,
    string DevicePool,
    string CallManagerGroup,
    IReadOnlyList<CallManagerNodeRef> GroupMembers,
    CallManagerNodeRef? CapfNode,
    DeviceSecurityMode SecurityMode,
    int CapfAuthMode,
    string? CertificateMd5Hex,
    bool EncryptedConfig,
    string LoadInformation,
    bool SecureUrls);
