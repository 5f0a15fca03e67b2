using System.Collections.Frozen;
using SbdServer.Wire.Itl;

namespace SbdServer.Core.CertificateStore;

/// <summary>
/// CUCM's mapping from certificate store to the phone roles TVS returns for a certificate in it (formats.md
/// section 4, CUCM unitRoleMap). Store names compare case-insensitively; an unknown store grants nothing, so a typo
/// fails closed.
/// </summary>
public static class StoreRoles
{
    public const string CallManager = CertificateStores.CallManager;
    public const string Tvs = CertificateStores.Tvs;
    public const string Capf = CertificateStores.Capf;
    public const string Tomcat = CertificateStores.Tomcat;
    public const string Ipsec = CertificateStores.Ipsec;
    public const string ItlRecovery = CertificateStores.ItlRecovery;
    public const string PhoneSastTrust = CertificateStores.PhoneSastTrust;
    public const string PhoneTrust = CertificateStores.PhoneTrust;
    public const string PhoneCtlTrust = CertificateStores.PhoneCtlTrust;
    public const string PhoneVpnTrust = CertificateStores.PhoneVpnTrust;
    public const string TomcatTrust = CertificateStores.TomcatTrust;
    public const string CallManagerTrust = CertificateStores.CallManagerTrust;
    public const string CapfTrust = CertificateStores.CapfTrust;
    public const string TvsTrust = CertificateStores.TvsTrust;
    public const string IpsecTrust = "ipsec-trust";
    public const string DirectoryTrust = CertificateStores.DirectoryTrust;
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

        // ITLRecovery signs the ITL in 12.x+ ("Security Token"); TVS vouching for it as a SAST lets a phone accept
        // an ITL signed by a regenerated ITLRecovery. CUCM's published map predates ITLRecovery.
        [ItlRecovery] = [TrustRole.Sast],
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every store name this table knows, in CUCM spelling.</summary>
    public static IReadOnlyCollection<string> KnownStores => Map.Keys;

    /// <summary>The roles TVS returns for a certificate in <paramref name="store"/>; empty for unknown stores.</summary>
    public static IReadOnlyList<TrustRole> For(string store) =>
        Map.TryGetValue(store, out var roles) ? roles : None;

    /// <summary>True when the name is one of the stores above (whether or not it grants roles).</summary>
    public static bool IsKnown(string store) => Map.ContainsKey(store);
}
