namespace SbdServer.Tvs;

/// <summary>The <c>kind</c> labels of the TVS listener's peer warnings (<c>sbd_peer_warnings_total{listener="tvs"}</c>).</summary>
internal static class TvsWarningKinds
{
    public const string Listener = "tvs";
    public const string Protocol = "protocol";
    public const string HandshakeFailed = "handshake_failed";
    public const string HandshakeTimeout = "handshake_timeout";
    public const string ReadTimeout = "read_timeout";
    public const string IdleTimeout = "idle_timeout";

    /// <summary>Summaries of warning-level kinds are warnings too; the others stay at the level of their lines.</summary>
    public static bool IsWarning(string kind) => kind == Protocol;
}
