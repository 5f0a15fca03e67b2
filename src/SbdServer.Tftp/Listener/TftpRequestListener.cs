using System.Net;
using System.Net.Sockets;
using SbdServer.Tftp.Diagnostics;
using SbdServer.Tftp.Sessions;
using SbdServer.Tftp.Transport;
using SbdServer.Wire.Tftp;

namespace SbdServer.Tftp.Listener;

/// <summary>
/// The request port's side of the I/O thread: reads datagrams from the listener in batches, drops or refuses what is
/// not a readable RRQ, and hands the rest to <see cref="TftpTransferSessions"/>.
/// </summary>
internal sealed class TftpRequestListener(
    TftpOptions options, TftpMetrics metrics, TftpTransferLog log, TftpListenerSocket listener, TftpTransferSessions sessions)
{
    private const int ListenerBufferSize = 65536;

    // Requests read per wake-up: enough to keep up with a boot storm, few enough that the transfer sockets ready in
    // the same pass are not kept waiting behind a flood on the request port.
    private const int ListenerBatch = 64;

    private readonly byte[] _buffer = GC.AllocateUninitializedArray<byte>(ListenerBufferSize);

    /// <summary>
    /// The listener has datagrams (I/O thread): reads up to <see cref="ListenerBatch"/> of them. One per wake-up let a
    /// boot storm's requests queue behind every transfer socket that was ready in the same pass (each pass serves all of
    /// them), so a phone waited hundreds of milliseconds for an answer as simple as "file not found" (docs/benchmarks.md).
    /// </summary>
    public void OnReadable()
    {
        for (var i = 0; i < ListenerBatch; i++)
        {
            if (!ReadDatagram())
            {
                return;
            }
        }
    }

    /// <summary>Reads and handles one datagram; false when the listener has nothing more to read now.</summary>
    private bool ReadDatagram()
    {
        var flags = SocketFlags.None;
        var from = listener.AnyEndPoint;
        int length;
        IPPacketInformation packetInformation;
        try
        {
            length = listener.Socket.ReceiveMessageFrom(_buffer, ref flags, ref from, out packetInformation);
        }
        catch (SocketException ex)
        {
            // Nothing left to read ends the batch; an ICMP echo of an earlier send or an oversized datagram does not.
            return ex.SocketErrorCode != SocketError.WouldBlock;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }

        var remote = TftpListenerSocket.Normalize((IPEndPoint)from);
        try
        {
            OnDatagram(_buffer.AsSpan(0, length), remote, TftpListenerSocket.NormalizeAddress(packetInformation.Address));
        }
        catch (Exception ex)
        {
            TftpLog.DatagramFailed(log.Logger, ex, remote); // one bad datagram never stops the loop
        }

        return true;
    }

    private void OnDatagram(ReadOnlySpan<byte> packet, IPEndPoint remote, IPAddress? local)
    {
        // Never answer fewer than 4 bytes: no TFTP packet is that short, and silence makes us no reflector.
        if (packet.Length < TftpPacket.HeaderSize || !TftpPacket.TryReadOpcode(packet, out var opcode))
        {
            log.Malformed(remote, $"{packet.Length}-byte packet");
            return;
        }

        if (options.SinglePort && opcode is (ushort)TftpOpcode.Ack or (ushort)TftpOpcode.Error
            && sessions.TryDeliver(remote, packet))
        {
            return;
        }

        if (opcode is not ((ushort)TftpOpcode.Rrq or (ushort)TftpOpcode.Wrq))
        {
            log.Malformed(remote, $"opcode {opcode} sent to the request port");
            return;
        }

        metrics.Request();
        if (local is not null && TftpListenerSocket.IsBroadcastOrMulticast(local))
        {
            return; // RFC 1123 4.2.3.4: requests to a broadcast address are ignored
        }

        TftpRequest request;
        try
        {
            request = TftpRequestCodec.Parse(packet);
        }
        catch (TftpFormatException ex)
        {
            metrics.IllegalRequest();
            log.Malformed(remote, ex.Message);
            listener.Reply(remote, TftpErrorCode.IllegalOperation, "Illegal TFTP request");
            return;
        }

        if (request.Opcode == TftpOpcode.Wrq)
        {
            metrics.IllegalRequest();
            listener.Reply(remote, TftpErrorCode.AccessViolation, "Write requests are not accepted");
            return;
        }

        if (!TftpRequestCodec.TryParseMode(request.ModeText, out var mode))
        {
            metrics.IllegalRequest();
            listener.Reply(remote, TftpErrorCode.IllegalOperation, "Unsupported transfer mode");
            return;
        }

        sessions.Open(remote, request, mode, local);
    }
}
