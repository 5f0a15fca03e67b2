namespace SbdServer.Wire.Names;

/// <summary>
/// One name of the phone's file-name grammar, the only parser and formatter of it (server, phone and tools alike):
/// <code>
///   ITLFile.tlv | CTLFile.tlv                                      cluster trust lists
///   ITLSEP&lt;MAC&gt;.tlv | CTLSEP&lt;MAC&gt;.tlv                            per-device trust lists
///   SEP&lt;MAC&gt;.cnf.xml | SEP&lt;MAC&gt;.cnf.xml.sgn | SEP&lt;MAC&gt;.cnf.xml.enc.sgn   device configs
///   XMLDefault.cnf.xml | XMLDefault.cnf.xml.sgn                    auto-registration config
///   MAC = 12 hex digits
/// </code>
/// Matching ignores case, as phones and CUCM do; <see cref="ToString"/> gives the canonical spelling (upper-case MAC).
/// A name inside a folder ("dir/ITLFile.tlv") is not of the grammar.
/// </summary>
public readonly record struct PhoneFileName
{
    public const string ClusterItlName = "ITLFile.tlv";

    public const string ClusterCtlName = "CTLFile.tlv";

    public const string DefaultConfigName = "XMLDefault.cnf.xml";

    public const string SignedDefaultConfigName = DefaultConfigName + SgnSuffix;

    public const int MacLength = 12;

    private const string DevicePrefix = "SEP";
    private const string TrustListSuffix = ".tlv";
    private const string ConfigSuffix = ".cnf.xml";
    private const string SgnSuffix = ".sgn";
    private const string EncSgnSuffix = ".enc.sgn";

    private PhoneFileName(PhoneFileKind kind, string? mac)
    {
        Kind = kind;
        Mac = mac;
    }

    public static PhoneFileName ClusterItl { get; } = new(PhoneFileKind.Itl, null);

    public static PhoneFileName ClusterCtl { get; } = new(PhoneFileKind.Ctl, null);

    public PhoneFileKind Kind { get; }

    /// <summary>The MAC as 12 upper-case hex digits for per-device names; null for cluster-wide ones.</summary>
    public string? Mac { get; }

    /// <summary>The CUCM device name the file belongs to (<c>SEP&lt;MAC&gt;</c>), or null for cluster-wide names.</summary>
    public string? DeviceName => Mac is null ? null : DevicePrefix + Mac;

    public bool IsTrustList => Kind is PhoneFileKind.Itl or PhoneFileKind.Ctl;

    /// <summary>
    /// The cluster-wide name CUCM answers when a per-device trust list does not exist (<c>ITLSEP&lt;MAC&gt;.tlv</c> ->
    /// <c>ITLFile.tlv</c>); null for every other name.
    /// </summary>
    public PhoneFileName? ClusterFallback => IsTrustList && Mac is not null ? new PhoneFileName(Kind, null) : null;

    /// <summary>The per-device name of <paramref name="kind"/> for <paramref name="mac"/> (12 hex digits, any case).</summary>
    /// <exception cref="ArgumentException">The MAC is not 12 hex digits, or the kind has no per-device name.</exception>
    public static PhoneFileName ForDevice(PhoneFileKind kind, string mac)
    {
        ArgumentNullException.ThrowIfNull(mac);
        if (kind is PhoneFileKind.DefaultConfig or PhoneFileKind.SignedDefaultConfig)
        {
            throw new ArgumentException($"{kind} has no per-device name.", nameof(kind));
        }

        return IsMac(mac)
            ? new PhoneFileName(kind, mac.ToUpperInvariant())
            : throw new ArgumentException("A MAC is 12 hex digits.", nameof(mac));
    }

    /// <summary>The cluster-wide name of <paramref name="kind"/>.</summary>
    /// <exception cref="ArgumentException">The kind exists only per device (the device configs).</exception>
    public static PhoneFileName ForCluster(PhoneFileKind kind) => kind switch
    {
        PhoneFileKind.Itl or PhoneFileKind.Ctl or PhoneFileKind.DefaultConfig or PhoneFileKind.SignedDefaultConfig =>
            new PhoneFileName(kind, null),
        _ => throw new ArgumentException($"{kind} exists only per device.", nameof(kind)),
    };

    /// <summary>False when <paramref name="name"/> is not of the grammar (the file is then static, or absent).</summary>
    public static bool TryParse(ReadOnlySpan<char> name, out PhoneFileName file)
    {
        file = default;
        if (name.Equals(ClusterItlName, StringComparison.OrdinalIgnoreCase))
        {
            file = ClusterItl;
            return true;
        }

        if (name.Equals(ClusterCtlName, StringComparison.OrdinalIgnoreCase))
        {
            file = ClusterCtl;
            return true;
        }

        if (name.Equals(DefaultConfigName, StringComparison.OrdinalIgnoreCase))
        {
            file = new PhoneFileName(PhoneFileKind.DefaultConfig, null);
            return true;
        }

        if (name.Equals(SignedDefaultConfigName, StringComparison.OrdinalIgnoreCase))
        {
            file = new PhoneFileName(PhoneFileKind.SignedDefaultConfig, null);
            return true;
        }

        PhoneFileKind? trustList = name.StartsWith("ITL", StringComparison.OrdinalIgnoreCase) ? PhoneFileKind.Itl
            : name.StartsWith("CTL", StringComparison.OrdinalIgnoreCase) ? PhoneFileKind.Ctl
            : null;
        var rest = trustList is null ? name : name[3..];
        if (!rest.StartsWith(DevicePrefix, StringComparison.OrdinalIgnoreCase)
            || rest.Length < DevicePrefix.Length + MacLength
            || !IsMac(rest.Slice(DevicePrefix.Length, MacLength)))
        {
            return false;
        }

        var suffix = rest[(DevicePrefix.Length + MacLength)..];
        PhoneFileKind? kind = trustList is { } list
            ? suffix.Equals(TrustListSuffix, StringComparison.OrdinalIgnoreCase) ? list : null
            : suffix.Equals(ConfigSuffix, StringComparison.OrdinalIgnoreCase) ? PhoneFileKind.Config
            : suffix.Equals(ConfigSuffix + SgnSuffix, StringComparison.OrdinalIgnoreCase) ? PhoneFileKind.SignedConfig
            : suffix.Equals(ConfigSuffix + EncSgnSuffix, StringComparison.OrdinalIgnoreCase) ? PhoneFileKind.EncryptedConfig
            : null;
        if (kind is null)
        {
            return false;
        }

        file = new PhoneFileName(kind.Value, rest.Slice(DevicePrefix.Length, MacLength).ToString().ToUpperInvariant());
        return true;
    }

    /// <summary>
    /// The canonical cluster-wide fallback name for <paramref name="name"/> when it is a per-device trust list; else null.
    /// </summary>
    public static string? ClusterFallbackFor(ReadOnlySpan<char> name) =>
        TryParse(name, out var file) && file.ClusterFallback is { } fallback ? fallback.ToString() : null;

    /// <summary>The canonical name (<c>ITLSEP0011215A1AE3.tlv</c>, <c>XMLDefault.cnf.xml.sgn</c>, ...).</summary>
    public override string ToString() => (Kind, Mac) switch
    {
        (PhoneFileKind.Itl, null) => ClusterItlName,
        (PhoneFileKind.Ctl, null) => ClusterCtlName,
        (PhoneFileKind.Itl, _) => "ITL" + DevicePrefix + Mac + TrustListSuffix,
        (PhoneFileKind.Ctl, _) => "CTL" + DevicePrefix + Mac + TrustListSuffix,
        (PhoneFileKind.Config, _) => DevicePrefix + Mac + ConfigSuffix,
        (PhoneFileKind.SignedConfig, _) => DevicePrefix + Mac + ConfigSuffix + SgnSuffix,
        (PhoneFileKind.EncryptedConfig, _) => DevicePrefix + Mac + ConfigSuffix + EncSgnSuffix,
        (PhoneFileKind.DefaultConfig, _) => DefaultConfigName,
        (PhoneFileKind.SignedDefaultConfig, _) => SignedDefaultConfigName,
        _ => string.Empty, // default(PhoneFileName) is the cluster ITL; other values cannot be constructed
    };

    private static bool IsMac(ReadOnlySpan<char> text)
    {
        if (text.Length != MacLength)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
