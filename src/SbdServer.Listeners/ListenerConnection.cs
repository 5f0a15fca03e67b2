using System.Net;
using System.Net.Sockets;

namespace SbdServer.Listeners;

/// <summary>
/// One admitted connection as the listener kit hands it to a protocol: the socket, the peer, a byte stream whose
/// traffic keeps the connection alive, and a token the kit cancels when the listener stops or the connection has been
/// idle for <see cref="TcpListenerSettings.IdleTimeout"/>.
/// </summary>
public sealed class ListenerConnection
{
    private readonly CancellationTokenSource _closing;
    private readonly TimeProvider _time;
    private long _lastActivity;
    private int _idledOut;

    internal ListenerConnection(long id, Socket socket, IPAddress remote, TimeProvider time, CancellationToken stopping)
    {
        Id = id;
        Socket = socket;
        Remote = remote;
        _time = time;
        _lastActivity = time.GetTimestamp();
        _closing = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Stream = new ActivityStream(new NetworkStream(socket, ownsSocket: true), this);
    }

    /// <summary>The listener's number for this connection (1, 2, ... in admission order), for log lines.</summary>
    public long Id { get; }

    /// <summary>The accepted socket; protocols read and write through <see cref="Stream"/>, which owns it.</summary>
    public Socket Socket { get; }

    /// <summary>The peer's address (IPv4-mapped addresses as IPv4).</summary>
    public IPAddress Remote { get; }

    /// <summary>The connection's bytes (owns the socket); every read and write through it counts as activity.</summary>
    public Stream Stream { get; }

    /// <summary>Cancelled when the listener stops or the kit closes the connection for idleness.</summary>
    public CancellationToken Closing => _closing.Token;

    /// <summary>True once the kit has closed the connection because nothing was sent or received for the idle timeout.</summary>
    public bool IdledOut => Volatile.Read(ref _idledOut) != 0;

    internal TimeSpan IdleFor(long now) => _time.GetElapsedTime(Interlocked.Read(ref _lastActivity), now);

    internal void Touch() => Interlocked.Exchange(ref _lastActivity, _time.GetTimestamp());

    /// <summary>Marks the connection as idled out; false when it was already marked.</summary>
    internal bool MarkIdle() => Interlocked.Exchange(ref _idledOut, 1) == 0;

    /// <summary>Cancels <see cref="Closing"/>; the protocol's pending read or write ends with it.</summary>
    internal void Close()
    {
        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection ended while the sweep looked at it.
        }
    }

    internal void Release() => _closing.Dispose();
}
