namespace SbdServer.Tftp.Transport;

/// <summary>Where a transfer's packets go: its own socket (one TID per transfer) or the shared single-port socket.</summary>
internal interface ITftpDatagramSink
{
    /// <summary>Sends one datagram to the transfer's client. Never throws for network errors (UDP is lossy anyway).</summary>
    void Send(ReadOnlySpan<byte> datagram);
}
