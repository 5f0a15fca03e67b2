using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SbdServer.Tftp.Sessions;

namespace SbdServer.Tftp.Transport;

/// <summary>
/// The TFTP server's one I/O thread: waits (<see cref="SocketReadiness"/>: epoll on Linux) on the listener and every
/// transfer socket, reads each datagram where it lands and answers it on the same thread, and runs the retransmission
/// tick between waits.
/// </summary>
/// <remarks>
/// Why not one async receive per socket: a boot storm is tens of thousands of 4-byte ACKs, and an async receive
/// completes on the socket engine's thread and then hops to a thread-pool worker, so every ACK cost two context
/// switches and a worker spinning for the next one, on the same CPUs the phones' traffic needs (docs/benchmarks.md).
/// Here an ACK is a share of one wake-up with every other ready socket, one recvfrom and one sendto,
/// and the thread sleeps in the kernel when there is nothing to do.
/// <para>
/// Only this thread closes a registered transfer socket (when its session is finished), so a socket is never closed
/// while the thread waits on it. Work from other threads (a lookup that completed asynchronously, shutdown) reaches the
/// loop through a queue and a datagram to its own wake socket.
/// </para>
/// </remarks>
internal sealed class TftpSocketLoop : IDisposable
{
    private readonly Socket _listener;
    private readonly Action _onListenerReadable;
    private readonly Action<TftpSession> _onSessionReadable;
    private readonly Action _onTick;
    private readonly long _tickTimestampTicks;
    private readonly TimeProvider _time;
    private readonly Socket _wake;
    private static readonly byte[] WakeDatagram = [0];
    private readonly byte[] _drainBuffer = new byte[8];
    private readonly SocketReadiness _readiness;
    private readonly ConcurrentQueue<TftpSession> _added = new();
    private readonly Dictionary<Socket, TftpSession> _sessions = new(ReferenceEqualityComparer.Instance);
    private readonly List<Socket> _ready = [];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _thread;
    private int _wakePending;
    private volatile bool _stopping;

    public TftpSocketLoop(
        Socket listener, Action onListenerReadable, Action<TftpSession> onSessionReadable, Action onTick,
        TimeSpan tickInterval, TimeProvider time, SocketReadiness readiness)
    {
        _listener = listener;
        _onListenerReadable = onListenerReadable;
        _onSessionReadable = onSessionReadable;
        _onTick = onTick;
        _time = time;
        _tickTimestampTicks = (long)(tickInterval.TotalSeconds * time.TimestampFrequency);
        _wake = CreateWakeSocket();
        _readiness = readiness;
        _readiness.Add(_wake);
        _readiness.Add(listener);
    }

    /// <summary>How the loop waits ("epoll" or "poll").</summary>
    public string Mechanism => _readiness.Mechanism;

    /// <summary>Completes when the loop thread has exited and closed every transfer socket it owned.</summary>
    public Task Completion => _completion.Task;

    /// <summary>True on the loop thread itself (no wake-up needed to reach it).</summary>
    private bool IsLoopThread => _thread is { } thread && Environment.CurrentManagedThreadId == thread.ManagedThreadId;

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "TFTP I/O" };
        _thread.Start();
    }

    /// <summary>
    /// Hands <paramref name="session"/>'s socket to the loop: from now on the loop reads it and closes it once the
    /// session is finished. Any thread.
    /// </summary>
    public void Register(TftpSession session)
    {
        _added.Enqueue(session);
        if (!IsLoopThread)
        {
            Wake();
        }
    }

    /// <summary>Asks the loop to exit; <see cref="Completion"/> tells when it has.</summary>
    public void Stop()
    {
        _stopping = true;
        if (_thread is null)
        {
            CloseAll();
            _completion.TrySetResult();
            return;
        }

        Wake();
    }

    public void Dispose()
    {
        Stop();
        if (_thread is null)
        {
            _wake.Dispose();
            _readiness.Dispose(); // a started loop disposes both on its way out
        }
    }

    private void Wake()
    {
        if (Interlocked.Exchange(ref _wakePending, 1) != 0)
        {
            return; // a wake-up is already on its way
        }

        try
        {
            _wake.Send(WakeDatagram);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Volatile.Write(ref _wakePending, 0); // the tick bounds the delay until the loop looks at the queue
        }
    }

    private void Run()
    {
        Exception? failure = null;
        try
        {
            var nextTick = _time.GetTimestamp() + _tickTimestampTicks;
            while (!_stopping)
            {
                Collect();
                var untilTick = Math.Max(0, nextTick - _time.GetTimestamp());
                try
                {
                    _readiness.Wait(_ready, (int)Math.Ceiling(untilTick * 1000.0 / _time.TimestampFrequency));
                }
                catch (Exception ex) when (ex is ObjectDisposedException or SocketException
                                           && (_stopping || _listener.SafeHandle.IsClosed))
                {
                    return; // the service was disposed without being stopped
                }

                foreach (var socket in _ready)
                {
                    if (ReferenceEquals(socket, _wake))
                    {
                        DrainWake();
                    }
                    else if (ReferenceEquals(socket, _listener))
                    {
                        _onListenerReadable();
                    }
                    else if (_sessions.TryGetValue(socket, out var session) && !session.IsFinished)
                    {
                        _onSessionReadable(session);
                    }
                }

                if (_time.GetTimestamp() >= nextTick)
                {
                    _onTick();
                    nextTick = _time.GetTimestamp() + _tickTimestampTicks;
                }
            }
        }
        catch (Exception ex)
        {
            failure = ex; // the host's BackgroundService handling logs it and stops the host: TFTP is down
        }
        finally
        {
            CloseAll();
            _wake.Dispose();
            _readiness.Dispose();
            if (failure is null)
            {
                _completion.TrySetResult();
            }
            else
            {
                _completion.TrySetException(failure);
            }
        }
    }

    /// <summary>Watches newly registered sessions' sockets; closes those of finished sessions.</summary>
    private void Collect()
    {
        while (_added.TryDequeue(out var added))
        {
            var socket = added.Socket!;
            if (added.IsFinished)
            {
                socket.Dispose();
                continue;
            }

            _readiness.Add(socket);
            _sessions[socket] = added;
        }

        // Finished sessions are few per pass; a scan of a few hundred references is cheaper than a second queue.
        // (Removing the current entry while enumerating a Dictionary is allowed.)
        foreach (var (socket, session) in _sessions)
        {
            if (session.IsFinished)
            {
                _readiness.Remove(socket);
                _sessions.Remove(socket);
                socket.Dispose();
            }
        }
    }

    private void DrainWake()
    {
        Volatile.Write(ref _wakePending, 0);
        try
        {
            _wake.Receive(_drainBuffer);
        }
        catch (SocketException)
        {
            // nothing left to read (non-blocking): a later wake-up found this one's datagram first
        }
    }

    private void CloseAll()
    {
        while (_added.TryDequeue(out var added))
        {
            added.Socket?.Dispose();
        }

        foreach (var socket in _sessions.Keys)
        {
            socket.Dispose();
        }

        _sessions.Clear();
    }

    /// <summary>A UDP socket connected to itself on loopback: one datagram makes poll(2) return.</summary>
    private static Socket CreateWakeSocket()
    {
        foreach (var loopback in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback })
        {
            var socket = new Socket(loopback.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.Bind(new IPEndPoint(loopback, 0));
                socket.Connect(socket.LocalEndPoint!); // a connected socket takes datagrams from itself only
                socket.Blocking = false;
                return socket;
            }
            catch (SocketException)
            {
                socket.Dispose();
            }
        }

        throw new InvalidOperationException(
            "TFTP cannot create its internal wake-up socket: no loopback address (127.0.0.1 or ::1) is configured.");
    }
}
