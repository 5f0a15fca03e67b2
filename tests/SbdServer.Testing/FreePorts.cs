using System.Net;
using System.Net.Sockets;

namespace SbdServer.Testing;

/// <summary>
/// Ports for servers that must be told a port before they bind (PostgreSQL, tftpd-hpa, a restart on the same port).
/// They are drawn below the kernel's ephemeral range (32768-60999 by default): a port the kernel handed to a test
/// with bind(0) was seen taken by another test's client socket before the server bound it. Below the range only
/// another explicit pick can collide, and a random draw from ~12 000 ports makes that rare.
/// </summary>
public static class FreePorts
{
    private const int Low = 20_000;
    private const int High = 32_000;

    public static int Tcp() => Block(1, SocketType.Stream, ProtocolType.Tcp);

    public static int Udp() => Block(1, SocketType.Dgram, ProtocolType.Udp);

    /// <summary>The first of <paramref name="count"/> consecutive UDP ports that were all free.</summary>
    public static int UdpBlock(int count) => Block(count, SocketType.Dgram, ProtocolType.Udp);

    private static int Block(int count, SocketType type, ProtocolType protocol)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var start = Random.Shared.Next(Low, High - count);
            var sockets = new List<Socket>();
            try
            {
                for (var port = start; port < start + count; port++)
                {
                    var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
                    sockets.Add(socket);
                    socket.Bind(new IPEndPoint(IPAddress.Any, port));
                }

                return start;
            }
            catch (SocketException)
            {
                // Taken; draw again.
            }
            finally
            {
                sockets.ForEach(s => s.Dispose());
            }
        }

        throw new InvalidOperationException($"No {count} free {protocol} port(s) between {Low} and {High}.");
    }
}
