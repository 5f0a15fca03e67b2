namespace SbdServer.Core.Tvs;

/// <summary>CUCM's spelling of the roles (as <c>show itl</c> and the admin pages print them).</summary>
public static class TrustRoleNames
{
    public static string Name(TrustRole role) => role switch
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
        _ => "ROLE-" + ((byte)role).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
