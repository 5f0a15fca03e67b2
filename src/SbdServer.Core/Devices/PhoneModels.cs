using System.Collections.Frozen;

namespace SbdServer.Core.Devices;

/// <summary>
/// Capability table of the phone models SbdServer knows. Facts from the Cisco admin and security guides summarised
/// in shared/docs/cucm-reference.md: 7940/7960 predate ITL support; the 79x1/79x2/79x5/7975 and 89xx/99xx families
/// verify SHA-1 only and speak TLS 1.0 to TVS; 78xx/88xx and later verify SHA-512 and accept EC trust lists.
/// </summary>
public static class PhoneModels
{
    private static readonly FrozenDictionary<string, PhoneModel> Table = Build().ToFrozenDictionary(
        m => m.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>All known models, ordered by name.</summary>
    public static IReadOnlyList<PhoneModel> All { get; } = [.. Table.Values.OrderBy(m => m.Name, StringComparer.Ordinal)];

    /// <summary>Finds a model by number, accepting "7962", "CP-7962" and "Cisco 7962".</summary>
    public static bool TryGet(string? name, out PhoneModel model)
    {
        model = null!;
        if (string.IsNullOrWhiteSpace(name) || name.Length > 32)
        {
            return false;
        }

        var key = name.Trim();
        if (key.StartsWith("Cisco ", StringComparison.OrdinalIgnoreCase))
        {
            key = key[6..].Trim();
        }

        if (key.StartsWith("CP-", StringComparison.OrdinalIgnoreCase))
        {
            key = key[3..];
        }

        return Table.TryGetValue(key, out model!);
    }

    private static IEnumerable<PhoneModel> Build()
    {
        foreach (var legacy in new[] { "7940", "7960" })
        {
            yield return new PhoneModel(legacy, SupportsItl: false, SupportsSha512: false, SupportsEc: false, Tls10Only: true);
        }

        foreach (var sha1Only in new[]
                 {
                     "7906", "7911", "7931", "7937", "7941", "7942", "7945", "7961", "7962", "7965", "7970", "7971",
                     "7975", "8941", "8945", "8961", "9951", "9971",
                 })
        {
            yield return new PhoneModel(sha1Only, SupportsItl: true, SupportsSha512: false, SupportsEc: false, Tls10Only: true);
        }

        foreach (var modern in new[]
                 {
                     "7811", "7821", "7832", "7841", "7861", "8811", "8832", "8841", "8845", "8851", "8861", "8865",
                     "9841", "9851", "9861", "9871",
                 })
        {
            yield return new PhoneModel(modern, SupportsItl: true, SupportsSha512: true, SupportsEc: true, Tls10Only: false);
        }
    }
}
