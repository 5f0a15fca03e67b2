using System.Globalization;
using System.Net;

namespace SbdServer.Core.Diagnostics;

/// <summary>
/// What one window of a <see cref="PeerWarningLimiter"/> suppressed for one kind and peer, or for
/// <see cref="Peers"/> peers together when <see cref="Peer"/> is null.
/// </summary>
public sealed record PeerWarningSummary(
    string Listener, string Kind, IPAddress? Peer, long Suppressed, int Peers, int WindowSeconds)
{
    /// <summary>The peer as a log shows it: the address, or "N other addresses".</summary>
    public string PeerText => Peer?.ToString()
        ?? (Peers == 1 ? "other addresses" : Peers.ToString(CultureInfo.InvariantCulture) + " other addresses");
}
