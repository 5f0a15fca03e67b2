using System.Net.Sockets;

namespace SbdServer.Tftp.Transport;

/// <summary>poll(2) over every watched socket (Socket.Select): portable, cost grows with the number of sockets.</summary>
internal sealed class PollReadiness : SocketReadiness
{
    private readonly List<Socket> _watched = [];

    public override string Mechanism => "poll";

    public override void Add(Socket socket) => _watched.Add(socket);

    public override void Remove(Socket socket) => _watched.Remove(socket);

    public override void Wait(List<Socket> ready, int timeoutMs)
    {
        ready.Clear();
        ready.AddRange(_watched);
        Socket.Select(ready, null, null, checked(timeoutMs * 1000));
    }
}
