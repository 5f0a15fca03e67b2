namespace SbdServer.Wire.Itl;

/// <summary>Display names and record shapes of the roles.</summary>
public static class TrustRoles
{
    /// <summary>The name <c>show itl</c> and the independent tools print.</summary>
    public static string DisplayName(TrustRole role) => role switch
    {
        TrustRole.Sast => "SAST",
        TrustRole.Ccm => "CCM",
        TrustRole.CcmTftp => "CCM+TFTP",
        TrustRole.Tftp => "TFTP",
        TrustRole.Capf => "CAPF",
        TrustRole.Srst => "SRST",
        TrustRole.Firewall => "FIREWALL",
        TrustRole.AppServer => "APP-SERVER",
        TrustRole.Tvs => "TVS",
        TrustRole.Vpn => "VPN",
        _ => ((ushort)role).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// CUCM's record shape: TVS and CAPF carry the certificate hash instead of the certificate, everyone else the
    /// full certificate.
    /// </summary>
    public static bool CarriesCertificate(TrustRole role) => role is not (TrustRole.Tvs or TrustRole.Capf);
}
