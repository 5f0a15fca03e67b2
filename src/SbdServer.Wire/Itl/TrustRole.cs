namespace SbdServer.Wire.Itl;

/// <summary>
/// FUNCTION (record tag 4) values, CUCM's TYPETRUSTROLEMAP numbering; TVS ROLES elements carry the same codes, one
/// byte each.
/// </summary>
public enum TrustRole : ushort
{
    /// <summary>System Administrator Security Token: the key that signs trust lists.</summary>
    Sast = 0,
    Ccm = 1,
    CcmTftp = 2,
    Tftp = 3,
    Capf = 4,
    Srst = 5,
    Firewall = 6,
    AppServer = 7,
    Tvs = 21,

    /// <summary>Phone VPN gateway certificates (Phone-VPN-trust); a TVS role, never in an ITL.</summary>
    Vpn = 26,
}
