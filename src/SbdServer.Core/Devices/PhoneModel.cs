namespace SbdServer.Core.Devices;

/// <summary>What a phone model can do with the Security By Default files; drives the change planner and file builds.</summary>
/// <param name="Name">The model number as CUCM shows it without the "Cisco" prefix, e.g. <c>7962</c>.</param>
/// <param name="SupportsItl">False for pre-8.0 era models (7940/7960) that ignore ITL files.</param>
/// <param name="SupportsSha512">Can verify SHA-512 signed files (TFTP File Signature Algorithm = SHA-512).</param>
/// <param name="SupportsEc">Accepts EC certificates in trust lists (signer version 1.1).</param>
/// <param name="Tls10Only">Speaks only TLS 1.0 to TVS (the 7900 series).</param>
/// <param name="MaxItlBytes">
/// The largest ITL the phone loads: 64 KB for every model (Security Guide 14 "Interactions and Restrictions": more
/// than 39 certificates make the ITL exceed 64 KB and phones fail to load it; cucm-reference.md 1.1, scenario 27).
/// </param>
public sealed record PhoneModel(string Name, bool SupportsItl, bool SupportsSha512, bool SupportsEc, bool Tls10Only, int MaxItlBytes = PhoneModel.ItlLimitBytes)
{
    /// <summary>The 64 KB of the Security Guide.</summary>
    public const int ItlLimitBytes = 64 * 1024;

    /// <summary>The TVS device-name prefix, e.g. <c>CP-7962</c>.</summary>
    public string ProductCode => "CP-" + Name;
}
