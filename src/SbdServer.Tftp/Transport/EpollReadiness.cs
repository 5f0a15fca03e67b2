using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace SbdServer.Tftp.Transport;

/// <summary>
/// epoll(7), level-triggered: like poll(2) a socket is reported as long as a datagram waits, but a wait costs the
/// ready sockets only. Each socket is registered under its file descriptor number.
/// </summary>
internal sealed partial class EpollReadiness : SocketReadiness
{
    private const int MaxEvents = 256;
    private const int EpollCloexec = 0x80000;
    private const int EpollCtlAdd = 1;
    private const int EpollCtlDel = 2;
    private const uint EpollIn = 0x001;
    private const int Eintr = 4;

    // struct epoll_event is { uint32 events; uint64 data; }, packed (12 bytes) on x86 and x86-64, aligned (16) elsewhere.
    private static readonly int EventSize =
        RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86 ? 12 : 16;

    private static readonly int DataOffset = EventSize - sizeof(ulong);

    private readonly int _epoll;
    private readonly byte[] _events = new byte[MaxEvents * EventSize];
    private readonly byte[] _control = new byte[16];
    private readonly Dictionary<int, Socket> _sockets = [];
    private bool _disposed;

    private EpollReadiness(int epoll)
    {
        _epoll = epoll;
    }

    public override string Mechanism => "epoll";

    /// <summary>An epoll instance, or null when the C library or the kernel does not offer one.</summary>
    public static EpollReadiness? TryCreate()
    {
        try
        {
            var epoll = EpollCreate1(EpollCloexec);
            return epoll < 0 ? null : new EpollReadiness(epoll);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    public override void Add(Socket socket)
    {
        var fd = Descriptor(socket);
        BitConverter.TryWriteBytes(_control.AsSpan(0, sizeof(uint)), EpollIn);
        BitConverter.TryWriteBytes(_control.AsSpan(DataOffset, sizeof(ulong)), (ulong)fd);
        if (EpollCtl(_epoll, EpollCtlAdd, fd, _control) != 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }

        _sockets[fd] = socket;
    }

    public override void Remove(Socket socket)
    {
        var fd = Descriptor(socket);
        if (_sockets.Remove(fd))
        {
            _ = EpollCtl(_epoll, EpollCtlDel, fd, _control); // closing the socket would drop it anyway
        }
    }

    public override void Wait(List<Socket> ready, int timeoutMs)
    {
        ready.Clear();
        var count = EpollWait(_epoll, _events, MaxEvents, timeoutMs);
        if (count < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Eintr)
            {
                return; // a signal, not an error: the caller waits again
            }

            throw new SocketException(errno);
        }

        for (var i = 0; i < count; i++)
        {
            var fd = (int)BitConverter.ToUInt64(_events.AsSpan((i * EventSize) + DataOffset, sizeof(ulong)));
            if (_sockets.TryGetValue(fd, out var socket))
            {
                ready.Add(socket);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (!_disposed)
        {
            _disposed = true;
            _ = Close(_epoll);
        }

        base.Dispose(disposing);
    }

    private static int Descriptor(Socket socket) => (int)socket.SafeHandle.DangerousGetHandle();

    [DllImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static extern int EpollCreate1(int flags);

    [DllImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static extern int EpollCtl(int epoll, int operation, int fd, byte[] epollEvent);

    [DllImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static extern int EpollWait(int epoll, [Out] byte[] events, int maxEvents, int timeoutMs);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
