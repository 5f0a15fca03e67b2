using SbdServer.Wire.Itl;

namespace SbdServer.Phone.Trust;

/// <summary>Which kind of file is being verified; it decides which record roles may vouch for its signer.</summary>
public enum TrustKind
{
    Ctl,
    Itl,
    Config,
}

/// <summary>The role rules of formats.md section 5 and cucm-reference.md 1.11.</summary>
public static class TrustRules
{
    /// <summary>
    /// A trust list's signer must be a SAST of the installed lists; a CTL's CCM+TFTP also vouches (rule 2: "accept an
    /// ITL only if its signer is the CCM+TFTP of the CTL"; a 12.x tokenless CTL names the ITLRecovery as its SAST).
    /// </summary>
    public static bool SignsTrustList(TrustRole? role, bool inCtl) =>
        role == TrustRole.Sast || (inCtl && role == TrustRole.CcmTftp);

    /// <summary>Configuration files (and every other signed TFTP file) verify against the TFTP-role records only.</summary>
    public static bool SignsConfig(TrustRole? role) => role is TrustRole.Tftp or TrustRole.CcmTftp;

    public static bool Fits(TrustKind kind, TrustRole? role, bool inCtl) =>
        kind == TrustKind.Config ? SignsConfig(role) : SignsTrustList(role, inCtl);

    /// <summary>Whether TVS roles for the signer allow it to sign this kind of file.</summary>
    public static bool TvsRolesFit(TrustKind kind, ReadOnlySpan<byte> roles)
    {
        foreach (var code in roles)
        {
            var role = (TrustRole)code;
            if (kind == TrustKind.Config ? SignsConfig(role) : role == TrustRole.Sast)
            {
                return true;
            }
        }

        return false;
    }
}
