using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SbdServer.Core.Hosting;

namespace SbdServer.Listeners;

/// <summary>
/// The accept side of a TLS protocol listener (TVS, CAPF): a raw socket accept loop that hands every connection to
/// its own task, so a silent or slow client only ever holds its own task. Limits (total and per-IP connections) are
/// enforced at accept time, before any TLS work; a refused connection is reset, not closed gracefully. A connection
/// that sends and receives nothing for <see cref="TcpListenerSettings.IdleTimeout"/> is closed by the kit and
/// reported, whatever its protocol was waiting for.
/// </summary>
public sealed class TcpConnectionListener(TcpListenerSettings settings, ITcpListenerEvents events, TimeProvider time)
    : IAsyncDisposable
{
    private readonly ConcurrentDictionary<IPAddress, int> _perIp = new();
    private readonly ConcurrentDictionary<long, (ListenerConnection Connection, Task Task)> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private Func<ListenerConnection, Task>? _run;
    private Socket? _listener;
    private Task? _acceptLoop;
    private ITimer? _idleSweep;
    private int _open;
    private long _connectionIds;
    private long _idleTimeouts;

    /// <summary>The bound address and port (the real port when configured with 0).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener?.LocalEndPoint
        ?? throw new InvalidOperationException($"The {settings.Identity.Name} server is not started."));

    /// <summary>Connections currently open.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Connections the kit closed because they were idle for <see cref="TcpListenerSettings.IdleTimeout"/>.</summary>
    public long IdleTimeouts => Interlocked.Read(ref _idleTimeouts);

    /// <summary>
    /// Binds and starts accepting; each admitted connection runs <paramref name="run"/> on its own task, and its
    /// socket is closed when that task ends.
    /// </summary>
    /// <exception cref="ListenerBindException">The port cannot be bound (the message names the fix).</exception>
    public void Start(Func<ListenerConnection, Task> run)
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
        if (settings.IdleTimeout > TimeSpan.Zero && settings.IdleTimeout != Timeout.InfiniteTimeSpan)
        {
            // One sweep per listener rather than a timer per connection: a connection is closed between one and
            // one-and-a-quarter idle timeouts after its last byte, at the cost of one pass over the open connections.
            var period = TimeSpan.FromTicks(Math.Clamp(settings.IdleTimeout.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(5).Ticks));
            _idleSweep = time.CreateTimer(_ => SweepIdle(), null, period, period);
        }

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
        if (_idleSweep is not null)
        {
            await _idleSweep.DisposeAsync();
        }

        if (_acceptLoop is not null)
        {
            await _acceptLoop;
        }

        await Task.WhenAll(_connections.Values.Select(c => c.Task));
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
        ListenerConnection connection;
        try
        {
            connection = new ListenerConnection(id, socket, remote, time, _stopping.Token);
        }
        catch (IOException)
        {
            // The peer was gone before its stream existed; the accept loop must go on.
            ReleaseSlot(remote);
            Reset(socket);
            return;
        }

        events.Opened();

        // Registered before the task runs, so neither the idle sweep nor StopAsync can miss a connection.
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = Task.Run(async () =>
        {
            await start.Task;
            await RunAsync(connection);
        }, CancellationToken.None);
        _connections.TryAdd(id, (connection, task));
        start.SetResult();
    }

    private async Task RunAsync(ListenerConnection connection)
    {
        try
        {
            await _run!(connection);
        }
        finally
        {
            // Out of the table first, so the idle sweep never closes (or counts) a connection that has ended.
            _connections.TryRemove(connection.Id, out _);
            await connection.Stream.DisposeAsync();
            connection.Release();
            events.Closed();
            ReleaseSlot(connection.Remote);
        }
    }

    private void SweepIdle()
    {
        var now = time.GetTimestamp();
        foreach (var (connection, _) in _connections.Values)
        {
            if (connection.IdleFor(now) >= settings.IdleTimeout && connection.MarkIdle())
            {
                // Counted and reported before the close, so whoever sees the connection end also sees it counted.
                Interlocked.Increment(ref _idleTimeouts);
                try
                {
                    events.IdleTimedOut(connection.Remote, settings.IdleTimeout);
                }
                finally
                {
                    connection.Close();
                }
            }
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
