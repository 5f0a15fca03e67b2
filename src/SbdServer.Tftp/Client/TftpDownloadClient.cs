using System.Net;
using System.Net.Sockets;
using SbdServer.Wire.Tftp;

namespace SbdServer.Tftp.Client;

/// <summary>
/// A minimal RFC 1350/2347/2348 octet-mode reader used to fetch files from alternate file locations: one RRQ with
/// blksize + tsize, lock-in to the server's TID, ACK every block, retransmit the last packet on silence, a hard size
/// cap. Returns null on "File not found" and throws <see cref="TftpDownloadException"/> for anything else.
/// </summary>
internal static class TftpDownloadClient
{
    private const int RequestedBlockSize = 1428;

    public static async Task<byte[]?> DownloadAsync(
        IPEndPoint server, string fileName, TimeSpan timeout, int maxBytes, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(server.AddressFamily == AddressFamily.InterNetworkV6
            ? IPAddress.IPv6Any : IPAddress.Any, 0));

        var request = new byte[TftpRequestCodec.MaxFileNameLength + 64];
        var requestLength = TftpRequestCodec.WriteRrq(request, fileName,
            [new TftpOption("blksize", "1428"), new TftpOption("tsize", "0")]);
        ReadOnlyMemory<byte> lastPacket = request.AsMemory(0, requestLength);
        var ack = new byte[TftpPacket.HeaderSize];
        var buffer = new byte[TftpPacket.HeaderSize + RequestedBlockSize + 64];
        var output = new MemoryStream();
        var blockSize = 512;
        ushort expected = 1;
        IPEndPoint? tid = null;
        var retries = 0;

        await socket.SendToAsync(lastPacket, SocketFlags.None, server, cancellationToken);
        while (true)
        {
            SocketReceiveFromResult received;
            using (var silence = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                silence.CancelAfter(timeout);
                try
                {
                    received = await socket.ReceiveFromAsync(buffer, SocketFlags.None,
                        new IPEndPoint(server.AddressFamily == AddressFamily.InterNetworkV6
                            ? IPAddress.IPv6Any : IPAddress.Any, 0), silence.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    if (++retries > 2)
                    {
                        throw new TftpDownloadException($"no answer within {timeout.TotalMilliseconds:0} ms, 3 tries")
                        {
                            IsTimeout = true,
                        };
                    }

                    await socket.SendToAsync(lastPacket, SocketFlags.None, tid ?? server, cancellationToken);
                    continue;
                }
                catch (SocketException ex)
                {
                    throw new TftpDownloadException($"socket error {ex.SocketErrorCode}");
                }
            }

            var from = (IPEndPoint)received.RemoteEndPoint;
            if (!from.Address.Equals(server.Address) || (tid is not null && from.Port != tid.Port))
            {
                continue; // not our server, or a second TID: ignore (a strict client would answer ERROR 5)
            }

            var packet = buffer.AsMemory(0, received.ReceivedBytes);
            if (!TftpPacket.TryReadOpcode(packet.Span, out var opcode) || packet.Length < TftpPacket.HeaderSize)
            {
                throw new TftpDownloadException($"short packet of {packet.Length} bytes");
            }

            tid ??= from;
            retries = 0;
            switch ((TftpOpcode)opcode)
            {
                case TftpOpcode.Error:
                    var (code, _) = TftpPacket.ReadError(packet.Span);
                    return code == TftpErrorCode.FileNotFound
                        ? null
                        : throw new TftpDownloadException($"server answered ERROR {(int)code}");
                case TftpOpcode.Oack when expected == 1 && output.Length == 0:
                    foreach (var option in TftpPacket.ReadOack(packet.Span))
                    {
                        if (string.Equals(option.Name, "blksize", StringComparison.OrdinalIgnoreCase)
                            && int.TryParse(option.Value, out var granted) && granted is >= 8 and <= RequestedBlockSize)
                        {
                            blockSize = granted;
                        }
                        else if (string.Equals(option.Name, "tsize", StringComparison.OrdinalIgnoreCase)
                                 && long.TryParse(option.Value, out var size) && size > maxBytes)
                        {
                            await AbortAsync(socket, tid, "File too large", cancellationToken);
                            throw new TftpDownloadException($"file of {size} bytes exceeds the cap of {maxBytes}");
                        }
                    }

                    lastPacket = Ack(ack, 0);
                    await socket.SendToAsync(lastPacket, SocketFlags.None, tid, cancellationToken);
                    break;
                case TftpOpcode.Data:
                    var block = TftpPacket.ReadBlock(packet.Span);
                    if (block != expected)
                    {
                        continue; // duplicate: our ACK is re-sent only on our own timeout
                    }

                    var payload = packet[TftpPacket.HeaderSize..];
                    if (payload.Length > blockSize)
                    {
                        throw new TftpDownloadException($"block of {payload.Length} bytes exceeds blksize {blockSize}");
                    }

                    if (output.Length + payload.Length > maxBytes)
                    {
                        await AbortAsync(socket, tid, "File too large", cancellationToken);
                        throw new TftpDownloadException($"file exceeds the cap of {maxBytes} bytes");
                    }

                    output.Write(payload.Span);
                    lastPacket = Ack(ack, block);
                    await socket.SendToAsync(lastPacket, SocketFlags.None, tid, cancellationToken);
                    if (payload.Length < blockSize)
                    {
                        return output.ToArray();
                    }

                    expected = unchecked((ushort)(expected + 1));
                    break;
                default:
                    continue;
            }
        }
    }

    private static ReadOnlyMemory<byte> Ack(byte[] buffer, ushort block)
    {
        TftpPacket.WriteAck(buffer, block);
        return buffer;
    }

    private static async Task AbortAsync(Socket socket, EndPoint tid, string message, CancellationToken cancellationToken)
    {
        var error = new byte[TftpPacket.HeaderSize + message.Length + 1];
        TftpPacket.WriteError(error, TftpErrorCode.NotDefined, message);
        await socket.SendToAsync(error, SocketFlags.None, tid, cancellationToken);
    }
}
