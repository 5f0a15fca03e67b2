namespace SbdServer.Core.Tvs;

/// <summary>
/// Phone trust roles as the ITL FUNCTION field and the TVS ROLES element encode them (CUCM TYPETRUSTROLEMAP).
/// </summary>
public enum TrustRole : byte
{
    Sast = 0,
    Ccm = 1,
    CcmTftp = 2,
    Tftp = 3,
    Capf = 4,
    Srst = 5,
    Firewall = 6,
    AppServer = 7,

    /// <summary>ROLE_AUTHENTICATION_AUTHORIZATION (21): the TVS role.</summary>
    Tvs = 21,
    Vpn = 26,
}
