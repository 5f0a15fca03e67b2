namespace SbdServer.Core.CertificateStore;

/// <summary>CUCM certificate store names; the phone roles each grants are in <see cref="StoreRoles"/>.</summary>
public static class CertificateStores
{
    public const string CallManager = "CallManager";
    public const string Tvs = "TVS";
    public const string Capf = "CAPF";
    public const string Tomcat = "tomcat";
    public const string Ipsec = "ipsec";
    public const string ItlRecovery = "ITLRecovery";

    public const string CallManagerTrust = "CallManager-trust";
    public const string TomcatTrust = "tomcat-trust";
    public const string CapfTrust = "CAPF-trust";
    public const string TvsTrust = "TVS-trust";
    public const string PhoneSastTrust = "Phone-SAST-trust";
    public const string PhoneCtlTrust = "Phone-CTL-trust";
    public const string PhoneTrust = "Phone-trust";
    public const string PhoneVpnTrust = "Phone-VPN-trust";
    public const string DirectoryTrust = "directory-trust";

    /// <summary>Identity certificates every node has (ITLRecovery is one per cluster, held by the publisher).</summary>
    public static IReadOnlyList<string> NodeIdentities { get; } = [CallManager, Tvs, Capf, Tomcat, Ipsec];

    public static IReadOnlyList<string> Identities { get; } = [CallManager, Tvs, Capf, Tomcat, Ipsec, ItlRecovery];

    public static IReadOnlyList<string> TrustStores { get; } =
    [
        CallManagerTrust, TomcatTrust, CapfTrust, TvsTrust, PhoneSastTrust, PhoneCtlTrust, PhoneTrust, PhoneVpnTrust,
        DirectoryTrust,
    ];

    /// <summary>Identity certificates whose change alters what phones trust (ITL signer, TVS, CAPF records).</summary>
    public static IReadOnlyList<string> ItlRelevant { get; } = [CallManager, Tvs, ItlRecovery, Capf];

    /// <summary>The canonical spelling of an identity name (route values are case-insensitive), or null.</summary>
    public static string? FindIdentity(string name) =>
        Identities.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The canonical spelling of a trust store name, or null.</summary>
    public static string? FindTrustStore(string name) =>
        TrustStores.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
}
