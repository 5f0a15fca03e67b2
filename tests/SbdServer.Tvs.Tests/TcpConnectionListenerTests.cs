using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SbdServer.Core.Hosting;
using SbdServer.Listeners;
using Xunit;

namespace SbdServer.Tvs.Tests;

/// <summary>The listener kit's accept loop on real loopback sockets, without TLS or a protocol on top.</summary>
public sealed class TcpConnectionListenerTests
{
    private static readonly ListenerIdentity Identity = new("Test", "Test", "something else on this address?");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PerIpLimit_ResetsTheExtraConnection_AndStopWaitsForRunningOnes()
    {
        var events = new Events();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sawStop = false;
        await using var listener = new TcpConnectionListener(
            new TcpListenerSettings(Identity, "127.0.0.1", 0, MaxConnections: 10, MaxConnectionsPerIp: 1), events, TimeProvider.System);
        listener.Start(async connection =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, connection.Closing);
            }
            catch (OperationCanceledException)
            {
                sawStop = !connection.IdledOut;
            }
        });

        using var first = new TcpClient();
        await first.ConnectAsync(listener.LocalEndPoint, Ct);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.True(await IsResetAsync(listener.LocalEndPoint));
        Assert.Equal((ListenerLimit.PerIp, 1, IPAddress.Loopback), Assert.Single(events.Refusals));
        Assert.Equal(1, listener.OpenConnections);

        Assert.True(await listener.StopAsync());
        Assert.True(sawStop);
        Assert.Equal(0, listener.OpenConnections);
        Assert.Equal((1, 1), (events.Opened, events.Closed));
        Assert.False(await listener.StopAsync());
    }

    [Fact]
    public async Task TakenPort_FailsWithTheIdentitysMessage()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen(1);
        var port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        await using var listener = new TcpConnectionListener(
            new TcpListenerSettings(Identity, "127.0.0.1", port, 10, 10), new Events(), TimeProvider.System);

        var error = Assert.Throws<ListenerBindException>(() => listener.Start(_ => Task.CompletedTask));

        Assert.Equal("Test:Port", error.Setting);
        Assert.Equal(
            $"Test cannot listen on TCP 127.0.0.1:{port} (port {port}): the port is already in use (something else on this "
            + "address?). Fix: stop the other service, or set Test:Port (and Test:Address) to a free port, or Test:Enabled=false.",
            error.Message);
    }

    [Fact]
    public async Task IdleConnection_ClosedAfterTheIdleTimeout_Reported_WhileABusyOneStays()
    {
        var events = new Events();
        await using var listener = new TcpConnectionListener(
            new TcpListenerSettings(Identity, "127.0.0.1", 0, 10, 10) { IdleTimeout = TimeSpan.FromMilliseconds(300) },
            events, TimeProvider.System);
        var idled = new ConcurrentQueue<bool>();
        listener.Start(async connection =>
        {
            // An echo server: every byte read is written back, through the kit's stream.
            var buffer = new byte[16];
            try
            {
                int n;
                while ((n = await connection.Stream.ReadAsync(buffer, connection.Closing)) > 0)
                {
                    await connection.Stream.WriteAsync(buffer.AsMemory(0, n), connection.Closing);
                }
            }
            catch (OperationCanceledException)
            {
                idled.Enqueue(connection.IdledOut);
            }
        });

        using var silent = new TcpClient();
        await silent.ConnectAsync(listener.LocalEndPoint, Ct);
        using var busy = new TcpClient();
        await busy.ConnectAsync(listener.LocalEndPoint, Ct);
        var started = TimeProvider.System.GetTimestamp();
        var closed = silent.GetStream().ReadAsync(new byte[1], Ct).AsTask();
        while (!closed.IsCompleted && TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(10))
        {
            await busy.GetStream().WriteAsync(new byte[] { 42 }, Ct);
            Assert.Equal(1, await busy.GetStream().ReadAsync(new byte[1], Ct));
            await Task.Delay(50, Ct);
        }

        Assert.Equal(0, await closed.WaitAsync(TimeSpan.FromSeconds(1), Ct));
        Assert.InRange(TimeProvider.System.GetElapsedTime(started).TotalMilliseconds, 250, 5000);
        Assert.Equal(1, listener.IdleTimeouts);
        Assert.Equal((IPAddress.Loopback, TimeSpan.FromMilliseconds(300)), Assert.Single(events.Idle));
        Assert.True(Assert.Single(idled));

        // The busy connection is still served after the silent one went.
        await busy.GetStream().WriteAsync(new byte[] { 7 }, Ct);
        Assert.Equal(1, await busy.GetStream().ReadAsync(new byte[1], Ct));
        Assert.Equal(1, listener.OpenConnections);
    }

    /// <summary>True when a new connection is reset or closed at once (the reset may already fail the connect).</summary>
    private static async Task<bool> IsResetAsync(IPEndPoint endPoint)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(endPoint, Ct);
            var read = await client.GetStream().ReadAsync(new byte[1], Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);
            return read == 0;
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return true;
        }
    }

    private sealed class Events : ITcpListenerEvents
    {
        private int _opened;
        private int _closed;

        public int Opened => Volatile.Read(ref _opened);

        public int Closed => Volatile.Read(ref _closed);

        public ConcurrentQueue<(ListenerLimit, int, IPAddress)> Refusals { get; } = new();

        public ConcurrentQueue<(IPAddress, TimeSpan)> Idle { get; } = new();

        void ITcpListenerEvents.Opened() => Interlocked.Increment(ref _opened);

        void ITcpListenerEvents.Closed() => Interlocked.Increment(ref _closed);

        void ITcpListenerEvents.Refused(ListenerLimit limit, int max, IPAddress remote) => Refusals.Enqueue((limit, max, remote));

        void ITcpListenerEvents.IdleTimedOut(IPAddress remote, TimeSpan idleTimeout) => Idle.Enqueue((remote, idleTimeout));

        void ITcpListenerEvents.AcceptFailed(SocketException exception)
        {
        }
    }
}
