using SbdServer.Core.Diagnostics;

namespace SbdServer.Host.Auth;

/// <summary>
/// The admin API's peer warnings: refused authentication is logged at most a few times a minute per address (a
/// password-guessing loop would otherwise write one warning per guess), with a summary and the full count in
/// <c>sbd_peer_warnings_total{listener="admin_api"}</c>.
/// </summary>
internal sealed class AdminApiWarnings : IDisposable
{
    public const string Listener = "admin_api";
    public const string AuthFailedKind = "auth_failed";

    public AdminApiWarnings(PeerWarnings registry, ILogger<AdminApiWarnings> logger)
    {
        Limiter = registry.Create(Listener, summary => HostLog.WarningsSuppressed(
            logger, summary.Suppressed, summary.Kind, summary.PeerText, summary.WindowSeconds));
    }

    public PeerWarningLimiter Limiter { get; }

    public void Dispose()
    {
        Limiter.Flush();
        Limiter.Dispose();
    }
}
