using System.Net;
using System.Net.Sockets;
using SbdServer.Core.Tftp;
using SbdServer.Tftp.Transport;
using SbdServer.Wire.Tftp;

namespace SbdServer.Tftp.Sessions;

/// <summary>
/// One client TID (address + port) and its transfer. Created when the RRQ is accepted (so a retransmitted RRQ finds
/// it while the file is still being looked up); the transfer is attached once the file is open. All state changes
/// happen under <see cref="Gate"/>.
/// </summary>
internal sealed class TftpSession(IPEndPoint client, string requestedName, TftpMode mode, string optionsAsked, long started)
    : ITftpDatagramSink
{
    private int _finished;

    public Lock Gate { get; } = new();

    public IPEndPoint Client => client;

    public SocketAddress ClientAddress { get; } = client.Serialize();

    public string RequestedName => requestedName;

    public TftpMode Mode => mode;

    public string OptionsAsked => optionsAsked;

    public long StartedTimestamp => started;

    /// <summary>The transfer's own socket (one TID per transfer); null in single-port mode.</summary>
    public Socket? Socket { get; set; }

    /// <summary>Where packets go: this session's socket, or the listener in single-port mode.</summary>
    public Socket? SendSocket { get; set; }

    public TftpTransfer? Transfer { get; set; }

    /// <summary>True once <see cref="Socket"/> is handed to the I/O thread, which then closes it (see TftpSocketLoop).</summary>
    public bool LoopOwnsSocket { get; set; }

    public TftpFileContent? Content { get; set; }

    public string ServedName { get; set; } = "-";

    public string Source { get; set; } = "-";

    public string OptionsGranted { get; set; } = string.Empty;

    public bool IsFinished => Volatile.Read(ref _finished) != 0;

    /// <summary>True exactly once: the caller that wins does the clean-up.</summary>
    public bool TryMarkFinished() => Interlocked.Exchange(ref _finished, 1) == 0;

    public void Send(ReadOnlySpan<byte> datagram)
    {
        try
        {
            SendSocket?.SendTo(datagram, SocketFlags.None, ClientAddress);
        }
        catch (SocketException)
        {
            // UDP: a send that fails (no route, buffer full) is a lost packet; the retransmit timer covers it.
        }
        catch (ObjectDisposedException)
        {
            // finished concurrently
        }
    }
}
