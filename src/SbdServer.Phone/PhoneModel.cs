namespace SbdServer.Phone;

/// <summary>
/// What a phone model can do that changes a trust outcome: digest algorithms beyond SHA-1 (CUCM's "TFTP File
/// Signature Algorithm" = SHA-512 locks out phones without it, cucm-reference.md scenario 30), EC keys and
/// signatures (signer version 1.1), TLS 1.0 only (7900 series: TVS and HTTPS fail against a server whose minimum
/// is TLS 1.2), and the largest ITL the phone loads.
/// </summary>
/// <param name="Name">Model number as CUCM names it (<c>7962</c>); the TVS device name is <c>CP-&lt;Name&gt;-SEP&lt;MAC&gt;</c>.</param>
/// <param name="MaxItlBytes">
/// Phones fail to load an ITL over 64 KB (Security Guide 14 "Interactions and Restrictions": more than 39
/// certificates make the ITL exceed 64 KB; cucm-reference.md 1.1, scenario 27). The guide names no model that does
/// better, so every model has the same limit.
/// </param>
public sealed record PhoneModel(string Name, bool SupportsSha2, bool SupportsEc, bool Tls10Only, int MaxItlBytes = PhoneModel.ItlLimitBytes)
{
    /// <summary>The 64 KB of the Security Guide.</summary>
    public const int ItlLimitBytes = 64 * 1024;

    private static readonly Dictionary<string, PhoneModel> Known = new PhoneModel[]
    {
        // 7900 series: SHA-1 only, RSA only, TLS 1.0 only (cucm-reference.md 1.8, "TLS1.0-only 7975/9971").
        new("7942", SupportsSha2: false, SupportsEc: false, Tls10Only: true),
        new("7945", SupportsSha2: false, SupportsEc: false, Tls10Only: true),
        new("7962", SupportsSha2: false, SupportsEc: false, Tls10Only: true),
        new("7965", SupportsSha2: false, SupportsEc: false, Tls10Only: true),
        new("7975", SupportsSha2: false, SupportsEc: false, Tls10Only: true),
        new("9971", SupportsSha2: true, SupportsEc: false, Tls10Only: true),
        new("6921", SupportsSha2: true, SupportsEc: false, Tls10Only: false),
        new("6941", SupportsSha2: true, SupportsEc: false, Tls10Only: false),
        new("7821", SupportsSha2: true, SupportsEc: true, Tls10Only: false),
        new("7841", SupportsSha2: true, SupportsEc: true, Tls10Only: false),
        new("7861", SupportsSha2: true, SupportsEc: true, Tls10Only: false),
        new("8811", SupportsSha2: true, SupportsEc: true, Tls10Only: false),
        new("8841", SupportsSha2: true, SupportsEc: true, Tls10Only: false),
        new("8845", SupportsSha2: true, SupportsEc: true, Tls10Only: false),
        new("8851", SupportsSha2: true, SupportsEc: true, Tls10Only: false),
        new("8861", SupportsSha2: true, SupportsEc: true, Tls10Only: false),
        new("8865", SupportsSha2: true, SupportsEc: true, Tls10Only: false),
        new("8961", SupportsSha2: true, SupportsEc: false, Tls10Only: false),
    }.ToDictionary(m => m.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The default model of <c>sbd phone</c>, the seed document's phone.</summary>
    public static PhoneModel Default => Known["7962"];

    public static IReadOnlyCollection<PhoneModel> All => Known.Values;

    public static bool TryGet(string name, out PhoneModel model) => Known.TryGetValue(name.Trim(), out model!);

    public static PhoneModel Get(string name) =>
        TryGet(name, out var model)
            ? model
            : throw new ArgumentException(
                $"Unknown phone model '{name}'; known: {string.Join(", ", Known.Keys.Order(StringComparer.Ordinal))}.");

    /// <summary>The device name a phone sends to TVS: <c>CP-7962-SEP0011215A1AE3</c>.</summary>
    public string TvsDeviceName(string mac) => $"CP-{Name}-SEP{mac}";
}
