using System.Net.Sockets;

namespace SbdServer.Tftp.Transport;

/// <summary>
/// Tells which of a set of sockets have a datagram (or an error) to read: epoll(7) on Linux, poll(2) through
/// <see cref="Socket.Select(System.Collections.IList, System.Collections.IList, System.Collections.IList, int)"/>
/// elsewhere. Used only from the TFTP I/O thread.
/// </summary>
/// <remarks>
/// poll(2) looks at every watched socket on every call, so with 200 transfers in flight each ACK paid for 200 socket
/// checks in the kernel (a third of the server's CPU in a boot storm); epoll reports only the ready ones.
/// </remarks>
internal abstract class SocketReadiness : IDisposable
{
    /// <summary>"epoll" or "poll", for the start-up log line.</summary>
    public abstract string Mechanism { get; }

    /// <summary>epoll where the kernel has it, otherwise poll.</summary>
    public static SocketReadiness Create() =>
        OperatingSystem.IsLinux() && EpollReadiness.TryCreate() is { } epoll ? epoll : new PollReadiness();

    /// <summary>Starts watching <paramref name="socket"/> for readability.</summary>
    public abstract void Add(Socket socket);

    /// <summary>Stops watching <paramref name="socket"/>; call before closing it.</summary>
    public abstract void Remove(Socket socket);

    /// <summary>Waits at most <paramref name="timeoutMs"/> and lists the readable sockets in <paramref name="ready"/>.</summary>
    public abstract void Wait(List<Socket> ready, int timeoutMs);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
