using System.Net;
using System.Net.Sockets;

namespace SbdServer.Listeners;

/// <summary>
/// Who a listener is in its operator messages: <paramref name="Name"/> as the log says it ("TVS", "Phone services
/// (HTTPS)"), its configuration section (whose <c>Port</c>, <c>Address</c> and <c>Enabled</c> keys the fix names), and
/// what else typically holds its port (<paramref name="InUseHint"/>).
/// </summary>
public sealed record ListenerIdentity(string Name, string Section, string InUseHint)
{
    /// <summary>The configuration key of the port (what <see cref="Core.Hosting.ListenerBindException"/> names).</summary>
    public string PortKey => $"{Section}:Port";

    /// <summary>What an operator reads when the port cannot be bound: the port, the likely cause and the fix.</summary>
    public string BindFailureMessage(IPEndPoint endPoint, SocketError error)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var cause = error switch
        {
            SocketError.AddressAlreadyInUse => $"the port is already in use ({InUseHint})",
            SocketError.AccessDenied => endPoint.Port < 1024
                ? "permission denied: ports below 1024 need root or CAP_NET_BIND_SERVICE"
                : "permission denied",
            SocketError.AddressNotAvailable => $"{endPoint.Address} is not an address of this machine",
            _ => $"socket error {error}",
        };
        return $"{Name} cannot listen on TCP {endPoint} (port {endPoint.Port}): {cause}. Fix: stop the other service, or set "
            + $"{Section}:Port (and {Section}:Address) to a free port, or {Section}:Enabled=false.";
    }
}
