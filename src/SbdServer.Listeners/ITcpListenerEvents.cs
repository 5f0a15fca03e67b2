using System.Net;
using System.Net.Sockets;

namespace SbdServer.Listeners;

/// <summary>What a <see cref="TcpConnectionListener"/> tells its protocol: counters and log lines stay the protocol's.</summary>
public interface ITcpListenerEvents
{
    /// <summary>A connection was admitted (before its task starts).</summary>
    void Opened();

    /// <summary>An admitted connection ended (its task finished, however it ended).</summary>
    void Closed();

    /// <summary>A connection is refused by <paramref name="limit"/> (of <paramref name="max"/>); it is reset next.</summary>
    void Refused(ListenerLimit limit, int max, IPAddress remote);

    /// <summary>
    /// The kit closed a connection from <paramref name="remote"/> that sent and received nothing for
    /// <paramref name="idleTimeout"/>; its <see cref="ListenerConnection.Closing"/> token is cancelled right after.
    /// </summary>
    void IdleTimedOut(IPAddress remote, TimeSpan idleTimeout);

    /// <summary>Accepting failed (out of descriptors, a transient network error); the loop goes on after a pause.</summary>
    void AcceptFailed(SocketException exception);
}
