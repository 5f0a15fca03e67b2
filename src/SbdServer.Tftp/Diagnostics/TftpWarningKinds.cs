namespace SbdServer.Tftp.Diagnostics;

/// <summary>The <c>kind</c> labels of TFTP's peer warnings (<c>sbd_peer_warnings_total{listener="tftp"}</c>).</summary>
internal static class TftpWarningKinds
{
    public const string Listener = "tftp";
    public const string Malformed = "malformed";
    public const string Refused = "refused";
    public const string NotFound = "not_found";
    public const string AccessViolation = "access_violation";
}
