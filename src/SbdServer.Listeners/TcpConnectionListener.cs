using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SbdServer.Core.Hosting;

namespace SbdServer.Listeners;

/// <summary>
/// The accept side of a TLS protocol listener (TVS, CAPF): a raw socket accept loop that hands every connection to
/// its own task, so a silent or slow client only ever holds its own task. Limits (total and per-IP connections) are
/// enforced at accept time, before any TLS work; a refused connection is reset, not closed gracefully.
/// </summary>
public sealed class TcpConnectionListener(TcpListenerSettings settings, ITcpListenerEvents events, TimeProvider time)
    : IAsyncDisposable
{
    private readonly ConcurrentDictionary<IPAddress, int> _perIp = new();
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private Func<Socket, IPAddress, CancellationToken, Task>? _run;
    private Socket? _listener;
    private Task? _acceptLoop;
    private int _open;
    private long _connectionIds;

    /// <summary>The bound address and port (the real port when configured with 0).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener?.LocalEndPoint
        ?? throw new InvalidOperationException($"The {settings.Identity.Name} server is not started."));

    /// <summary>Connections currently open.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>
    /// Binds and starts accepting; each admitted connection runs <paramref name="run"/> (socket, peer address, the
    /// listener's stopping token) on its own task.
    /// </summary>
    /// <exception cref="ListenerBindException">The port cannot be bound (the message names the fix).</exception>
    public void Start(Func<Socket, IPAddress, CancellationToken, Task> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var address = IPAddress.Parse(settings.Address);
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Equals(IPAddress.IPv6Any))
            {
                listener.DualMode = true;
            }

            listener.Bind(new IPEndPoint(address, settings.Port));
            listener.Listen(1024);
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            var wanted = new IPEndPoint(address, settings.Port);
            throw new ListenerBindException(
                settings.Identity.PortKey, ex.SocketErrorCode, settings.Identity.BindFailureMessage(wanted, ex.SocketErrorCode), ex);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _run = run;
        _listener = listener;
        _acceptLoop = Task.Run(AcceptLoopAsync, CancellationToken.None);
    }

    /// <summary>
    /// Stops accepting, cancels the connections' token and waits for their tasks. False when already stopped (or
    /// stopping), so the caller's own shutdown steps run once.
    /// </summary>
    public async Task<bool> StopAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return false;
        }

        await _stopping.CancelAsync();
        _listener?.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop;
        }

        await Task.WhenAll(_connections.Values);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var listener = _listener!;
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                // Out of descriptors or a transient network error: keep the listener alive, but do not spin.
                events.AcceptFailed(ex);
                await Task.Delay(TimeSpan.FromMilliseconds(100), time, CancellationToken.None);
                continue;
            }

            Admit(socket);
        }
    }

    private void Admit(Socket socket)
    {
        var remote = (socket.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        if (Interlocked.Increment(ref _open) > settings.MaxConnections)
        {
            Interlocked.Decrement(ref _open);
            events.Refused(ListenerLimit.MaxConnections, settings.MaxConnections, remote);
            Reset(socket);
            return;
        }

        if (_perIp.AddOrUpdate(remote, 1, static (_, n) => n + 1) > settings.MaxConnectionsPerIp)
        {
            ReleaseSlot(remote);
            events.Refused(ListenerLimit.PerIp, settings.MaxConnectionsPerIp, remote);
            Reset(socket);
            return;
        }

        var id = Interlocked.Increment(ref _connectionIds);
        events.Opened();
        var task = Task.Run(() => RunAsync(id, socket, remote), CancellationToken.None);
        _connections.TryAdd(id, task);
    }

    private async Task RunAsync(long id, Socket socket, IPAddress remote)
    {
        try
        {
            await _run!(socket, remote, _stopping.Token);
        }
        finally
        {
            events.Closed();
            ReleaseSlot(remote);
            _connections.TryRemove(id, out _);
        }
    }

    private void ReleaseSlot(IPAddress remote)
    {
        Interlocked.Decrement(ref _open);
        var left = _perIp.AddOrUpdate(remote, 0, static (_, n) => n - 1);
        if (left <= 0)
        {
            _perIp.TryRemove(KeyValuePair.Create(remote, 0));
        }
    }

    private static void Reset(Socket socket)
    {
        try
        {
            // Reset rather than a graceful close: the peer learns at once and we keep no TIME_WAIT state.
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // The peer is already gone; closing is all that is left to do.
        }

        socket.Dispose();
    }
}
