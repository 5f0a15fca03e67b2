using System.Net;
using System.Net.Sockets;
using SbdServer.Tftp.Transport;
using Xunit;

namespace SbdServer.Tftp.Tests;

/// <summary>
/// The TFTP I/O thread's wait, both mechanisms, on real loopback sockets: only readable sockets are reported, a socket
/// stays reported while datagrams wait (level-triggered), removed sockets are never reported, and the timeout holds.
/// </summary>
public sealed class SocketReadinessTests : IDisposable
{
    private readonly List<Socket> _sockets = [];
    private readonly Socket _sender = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public static TheoryData<string> Mechanisms => OperatingSystem.IsLinux() ? ["epoll", "poll"] : ["poll"];

    public void Dispose()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        _sender.Dispose();
    }

    [Fact]
    public void Create_UsesEpollOnLinux()
    {
        using var readiness = SocketReadiness.Create();
        Assert.Equal(OperatingSystem.IsLinux() ? "epoll" : "poll", readiness.Mechanism);
    }

    [Theory]
    [MemberData(nameof(Mechanisms))]
    public void ReportsOnlyTheSocketsWithADatagram(string mechanism)
    {
        using var readiness = Create(mechanism);
        var sockets = Bind(readiness, 5);
        Send(sockets[1]);
        Send(sockets[3]);

        var ready = new List<Socket>();
        readiness.Wait(ready, 2000);

        Assert.Equal([sockets[1], sockets[3]], ready.OrderBy(sockets.IndexOf));
    }

    [Theory]
    [MemberData(nameof(Mechanisms))]
    public void ASocketStaysReported_UntilEveryDatagramIsRead(string mechanism)
    {
        using var readiness = Create(mechanism);
        var socket = Bind(readiness, 1)[0];
        Send(socket);
        Send(socket);
        var ready = new List<Socket>();
        var buffer = new byte[16];

        readiness.Wait(ready, 2000);
        Assert.Equal([socket], ready);
        socket.Receive(buffer);

        readiness.Wait(ready, 2000);
        Assert.Equal([socket], ready);
        socket.Receive(buffer);

        readiness.Wait(ready, 50);
        Assert.Empty(ready);
    }

    [Theory]
    [MemberData(nameof(Mechanisms))]
    public void ARemovedSocketIsNotReported(string mechanism)
    {
        using var readiness = Create(mechanism);
        var sockets = Bind(readiness, 2);
        readiness.Remove(sockets[0]);
        Send(sockets[0]);

        var ready = new List<Socket>();
        readiness.Wait(ready, 100);

        Assert.Empty(ready);
    }

    [Theory]
    [MemberData(nameof(Mechanisms))]
    public void NothingReady_ReturnsEmptyAfterTheTimeout(string mechanism)
    {
        using var readiness = Create(mechanism);
        Bind(readiness, 3);
        var ready = new List<Socket> { _sender };

        var started = DateTime.UtcNow;
        readiness.Wait(ready, 100);

        Assert.Empty(ready);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(90), "returned before the timeout");
    }

    [Theory]
    [MemberData(nameof(Mechanisms))]
    public void MoreReadySocketsThanOneWaitReports_AreAllReportedByTheNextWaits(string mechanism)
    {
        // epoll hands out at most 256 events per wait; the rest must come with the next waits, none lost.
        using var readiness = Create(mechanism);
        var sockets = Bind(readiness, 300);
        foreach (var socket in sockets)
        {
            Send(socket);
        }

        var seen = new HashSet<Socket>();
        var ready = new List<Socket>();
        var buffer = new byte[16];
        for (var wait = 0; wait < 5 && seen.Count < sockets.Count; wait++)
        {
            readiness.Wait(ready, 2000);
            foreach (var socket in ready)
            {
                Assert.True(seen.Add(socket), "a socket was reported again after its datagram was read");
                socket.Receive(buffer);
            }
        }

        Assert.Equal(sockets.Count, seen.Count);
    }

    private static SocketReadiness Create(string mechanism) => mechanism == "epoll"
        ? EpollReadiness.TryCreate() ?? throw new InvalidOperationException("epoll is not available on this Linux")
        : new PollReadiness();

    private List<Socket> Bind(SocketReadiness readiness, int count)
    {
        var sockets = new List<Socket>();
        for (var i = 0; i < count; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            _sockets.Add(socket);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            readiness.Add(socket);
            sockets.Add(socket);
        }

        return sockets;
    }

    private void Send(Socket to) => _sender.SendTo(new byte[] { 0, 4, 0, 1 }, to.LocalEndPoint!);
}
