using System.Net;
using System.Net.Sockets;
using SbdServer.Core.Hosting;
using SbdServer.Wire.Tftp;

namespace SbdServer.Tftp.Transport;

/// <summary>
/// The bound request port (UDP 69): binding with a bind failure that says what to do, and the replies and address
/// normalisation every part of the server shares.
/// </summary>
internal sealed class TftpListenerSocket : IDisposable
{
    private TftpListenerSocket(Socket socket, IPAddress address)
    {
        Socket = socket;
        AnyEndPoint = new IPEndPoint(address.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        IsWildcard = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    public Socket Socket { get; }

    /// <summary>The endpoint to receive into (the socket's family).</summary>
    public EndPoint AnyEndPoint { get; }

    /// <summary>True when bound to every address, so a reply from it may leave with another source address.</summary>
    public bool IsWildcard { get; }

    public IPEndPoint LocalEndPoint { get; }

    /// <exception cref="ListenerBindException">The port cannot be bound (the message says why and what to do).</exception>
    public static TftpListenerSocket Bind(IPAddress address, int port)
    {
        var endPoint = new IPEndPoint(address, port);
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true; // one socket for IPv6 and IPv4 (IPV6_V6ONLY off)
            }

            socket.ReceiveBufferSize = 4 * 1024 * 1024;
            socket.Bind(endPoint);
            socket.Blocking = false; // a readiness report without a datagram must not block the I/O thread
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new ListenerBindException(
                "Tftp:Port", ex.SocketErrorCode, BindFailureMessage("UDP", endPoint, ex.SocketErrorCode, "Tftp:Port"), ex);
        }

        return new TftpListenerSocket(socket, address);
    }

    /// <summary>The text a bind failure stops the host with: the port, the cause, and the fix.</summary>
    public static string BindFailureMessage(string protocol, IPEndPoint endPoint, SocketError error, string key)
    {
        var (cause, fix) = error switch
        {
            SocketError.AddressAlreadyInUse => (
                "the port is already in use (another TFTP/HTTP server such as tftpd-hpa, atftpd or dnsmasq?)",
                $"stop the other service, or set {key} (and Tftp:Address) to a free port"),
            SocketError.AccessDenied => (
                "permission denied (ports below 1024 need privileges)",
                $"grant CAP_NET_BIND_SERVICE (systemd AmbientCapabilities=CAP_NET_BIND_SERVICE), or set {key} "
                + "to a port >= 1024 and redirect the standard port with the firewall"),
            SocketError.AddressNotAvailable => (
                "the address is not configured on this machine",
                "set Tftp:Address to a local address, or :: for all addresses"),
            _ => ($"socket error {error}", $"check Tftp:Address and {key}"),
        };
        return $"TFTP cannot listen on {protocol} {endPoint} (port {endPoint.Port}): {cause}. Fix: {fix}.";
    }

    /// <summary>Sends an ERROR packet from the request port; a failed send is a lost datagram.</summary>
    public void Reply(IPEndPoint remote, TftpErrorCode code, string message)
    {
        Span<byte> packet = stackalloc byte[TftpPacket.HeaderSize + TftpPacket.MaxErrorMessageLength + 1];
        var n = TftpPacket.WriteError(packet, code, message);
        try
        {
            Socket.SendTo(packet[..n], SocketFlags.None, ToListenerFamily(remote));
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
            // stopped concurrently
        }
    }

    public void Dispose() => Socket.Dispose();

    public static IPEndPoint Normalize(IPEndPoint endPoint) => endPoint.Address.IsIPv4MappedToIPv6
        ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port)
        : endPoint;

    public static IPAddress? NormalizeAddress(IPAddress? address) =>
        address is null || address.Equals(IPAddress.None) || address.Equals(IPAddress.IPv6None)
            ? null
            : address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public static bool IsBroadcastOrMulticast(IPAddress address) =>
        address.Equals(IPAddress.Broadcast)
        || (address.AddressFamily == AddressFamily.InterNetwork && (address.GetAddressBytes()[0] & 0xF0) == 0xE0)
        || (address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv6Multicast);

    private IPEndPoint ToListenerFamily(IPEndPoint remote) =>
        Socket.AddressFamily == AddressFamily.InterNetworkV6 && remote.AddressFamily == AddressFamily.InterNetwork
            ? new IPEndPoint(remote.Address.MapToIPv6(), remote.Port)
            : remote;
}
