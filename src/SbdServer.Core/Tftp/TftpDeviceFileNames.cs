using System.Text.RegularExpressions;

namespace SbdServer.Core.Tftp;

/// <summary>
/// CUCM's per-device trust-list names and their cluster-wide fallbacks: a phone asks for <c>ITLSEP&lt;MAC&gt;.tlv</c>
/// and, when no per-device file exists, gets the cluster <c>ITLFile.tlv</c>; <c>CTLSEP&lt;MAC&gt;.tlv</c> falls back
/// to <c>CTLFile.tlv</c>, which itself is absent in a non-secure cluster (then "File not found" is the normal answer).
/// </summary>
public static partial class TftpDeviceFileNames
{
    public const string ClusterItl = "ITLFile.tlv";

    public const string ClusterCtl = "CTLFile.tlv";

    /// <summary>The cluster-wide name to try when <paramref name="name"/> is a per-device trust list; else null.</summary>
    public static string? FallbackFor(string name)
    {
        if (name.Length != 22)
        {
            return null; // "ITLSEP" + 12 hex + ".tlv"
        }

        var match = PerDeviceTrustList().Match(name);
        if (!match.Success)
        {
            return null;
        }

        return string.Equals(match.Groups[1].Value, "ITL", StringComparison.OrdinalIgnoreCase) ? ClusterItl : ClusterCtl;
    }

    [GeneratedRegex(@"^(ITL|CTL)SEP[0-9A-F]{12}\.tlv$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PerDeviceTrustList();
}
