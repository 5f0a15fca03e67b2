using System.Collections.Frozen;
using SbdServer.Wire.Itl;

namespace SbdServer.Core.Tvs;

/// <summary>
/// CUCM's mapping from certificate store to the phone roles TVS returns for a certificate in it (formats.md
/// section 4, CUCM unitRoleMap). Store names compare case-insensitively; an unknown store grants nothing, so a typo
/// fails closed.
/// </summary>
public static class StoreRoles
{
    public const string CallManager = "CallManager";
    public const string Tvs = "TVS";
    public const string Capf = "CAPF";
    public const string Tomcat = "tomcat";
    public const string Ipsec = "ipsec";
    public const string ItlRecovery = "ITLRecovery";
    public const string PhoneSastTrust = "Phone-SAST-trust";
    public const string PhoneTrust = "Phone-trust";
    public const string PhoneCtlTrust = "Phone-CTL-trust";
    public const string PhoneVpnTrust = "Phone-VPN-trust";
    public const string TomcatTrust = "tomcat-trust";
    public const string CallManagerTrust = "CallManager-trust";
    public const string CapfTrust = "CAPF-trust";
    public const string TvsTrust = "TVS-trust";
    public const string IpsecTrust = "ipsec-trust";
    public const string DirectoryTrust = "directory-trust";
    public const string UserLicensingTrust = "userlicensing-trust";

    private static readonly TrustRole[] None = [];

    private static readonly FrozenDictionary<string, TrustRole[]> Map = new Dictionary<string, TrustRole[]>
    {
        [CallManager] = [TrustRole.CcmTftp, TrustRole.Sast],
        [PhoneSastTrust] = [TrustRole.Sast, TrustRole.Tftp],
        [Tomcat] = [TrustRole.AppServer],
        [TomcatTrust] = [TrustRole.AppServer],
        [PhoneTrust] = [TrustRole.AppServer],
        [PhoneCtlTrust] = [TrustRole.AppServer],
        [Ipsec] = [TrustRole.AppServer],
        [Capf] = [TrustRole.Capf],
        [Tvs] = [TrustRole.Tvs],
        [PhoneVpnTrust] = [TrustRole.Vpn],

        // Known stores that are deliberately not for phones.
        [CallManagerTrust] = None,
        [CapfTrust] = None,
        [TvsTrust] = None,
        [IpsecTrust] = None,
        [DirectoryTrust] = None,
        [UserLicensingTrust] = None,

        // ITLRecovery is trusted by phones through the ITL (as SAST), not through TVS; CUCM's map has no entry.
        [ItlRecovery] = None,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every store name this table knows, in CUCM spelling.</summary>
    public static IReadOnlyCollection<string> KnownStores => Map.Keys;

    /// <summary>The roles TVS returns for a certificate in <paramref name="store"/>; empty for unknown stores.</summary>
    public static IReadOnlyList<TrustRole> For(string store) =>
        Map.TryGetValue(store, out var roles) ? roles : None;

    /// <summary>True when the name is one of the stores above (whether or not it grants roles).</summary>
    public static bool IsKnown(string store) => Map.ContainsKey(store);
}
