using System.Text.RegularExpressions;
using SbdServer.Core.Devices;

namespace SbdServer.Core.Provisioning;

/// <summary>A requested name recognised as a generated file; <see cref="Device"/> is set for per-device names.</summary>
public sealed partial record GeneratedFileName(GeneratedFileKind Kind, DeviceName? Device)
{
    public const string DefaultConfigName = "XMLDefault.cnf.xml";

    public static bool TryParse(string name, out GeneratedFileName file)
    {
        file = null!;
        if (string.Equals(name, "ITLFile.tlv", StringComparison.OrdinalIgnoreCase))
        {
            file = new GeneratedFileName(GeneratedFileKind.Itl, null);
            return true;
        }

        if (string.Equals(name, "CTLFile.tlv", StringComparison.OrdinalIgnoreCase))
        {
            file = new GeneratedFileName(GeneratedFileKind.Ctl, null);
            return true;
        }

        if (string.Equals(name, DefaultConfigName, StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, DefaultConfigName + ".sgn", StringComparison.OrdinalIgnoreCase))
        {
            file = new GeneratedFileName(
                name.Length == DefaultConfigName.Length ? GeneratedFileKind.DefaultConfig : GeneratedFileKind.SignedDefaultConfig, null);
            return true;
        }

        var match = DeviceFile().Match(name);
        if (!match.Success || !DeviceName.TryParse(match.Groups["mac"].Value, out var device))
        {
            return false;
        }

        GeneratedFileKind? kind = match.Groups["prefix"].Value.ToUpperInvariant() switch
        {
            "ITL" when match.Groups["suffix"].Value.Equals(".tlv", StringComparison.OrdinalIgnoreCase) => GeneratedFileKind.Itl,
            "CTL" when match.Groups["suffix"].Value.Equals(".tlv", StringComparison.OrdinalIgnoreCase) => GeneratedFileKind.Ctl,
            "" => match.Groups["suffix"].Value.ToLowerInvariant() switch
            {
                ".cnf.xml" => GeneratedFileKind.Config,
                ".cnf.xml.sgn" => GeneratedFileKind.SignedConfig,
                ".cnf.xml.enc.sgn" => GeneratedFileKind.EncryptedConfig,
                _ => null,
            },
            _ => null,
        };
        if (kind is null)
        {
            return false;
        }

        file = new GeneratedFileName(kind.Value, device);
        return true;
    }

    [GeneratedRegex(@"^(?<prefix>ITL|CTL)?SEP(?<mac>[0-9A-F]{12})(?<suffix>\.tlv|\.cnf\.xml|\.cnf\.xml\.sgn|\.cnf\.xml\.enc\.sgn)$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DeviceFile();
}
