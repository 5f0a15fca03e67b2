using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SbdServer.Wire.Tftp;
using SbdServer.Wire.Tlv;

namespace SbdServer.Phone.Net;

/// <summary>
/// A phone's TFTP client: one RRQ (octet, <c>blksize</c> and <c>tsize</c> options, RFC 1350/2347/2348/2349) per
/// file on its own UDP socket, lock-step ACKs, retransmission of the last packet on silence.
/// </summary>
/// <param name="localAddress">The phone's address the socket is bound to; null binds the wildcard address.</param>
public sealed class TftpFileClient(TftpClientOptions options, IPAddress? localAddress = null)
{
    private const int MaxPacket = 65_536;

    /// <summary>Fetches <paramref name="fileName"/>; a TFTP "file not found" is a result, not an exception.</summary>
    /// <exception cref="PhoneNetworkException">No answer after the retries, another TFTP error, or a broken transfer.</exception>
    public async Task<FetchResult> GetAsync(IPEndPoint server, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(LocalAddress(server), 0));
        }
        catch (SocketException e)
        {
            throw new PhoneNetworkException($"TFTP: cannot send from {localAddress}: {e.Message}", e);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(MaxPacket);
        var last = ArrayPool<byte>.Shared.Rent(600);
        try
        {
            TftpOption[] requested =
            [
                new("blksize", options.BlockSize.ToString(CultureInfo.InvariantCulture)),
                new("tsize", "0"),
            ];
            var lastLength = TftpRequestCodec.WriteRrq(last, fileName, requested);
            EndPoint lastTarget = server;
            await socket.SendToAsync(last.AsMemory(0, lastLength), SocketFlags.None, lastTarget, cancellationToken);

            IPEndPoint? peer = null;
            var blockSize = 512;
            ushort expected = 1;
            var received = new ArrayBufferWriter<byte>(4096);
            var retries = 0;
            while (true)
            {
                SocketReceiveFromResult answer;
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    timeout.CancelAfter(options.Timeout);
                    try
                    {
                        answer = await socket.ReceiveFromAsync(buffer.AsMemory(0, MaxPacket), SocketFlags.None,
                            new IPEndPoint(server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0),
                            timeout.Token);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        if (++retries > options.Retries)
                        {
                            throw new PhoneNetworkException(
                                $"TFTP {server}: no answer for {fileName} after {options.Retries + 1} tries.");
                        }

                        await socket.SendToAsync(last.AsMemory(0, lastLength), SocketFlags.None, lastTarget, cancellationToken);
                        continue;
                    }
                    catch (SocketException e)
                    {
                        // ICMP port unreachable surfaces here on Linux: nobody listens on that port.
                        throw new PhoneNetworkException($"TFTP {server}: {e.Message}", e);
                    }
                }

                var from = (IPEndPoint)answer.RemoteEndPoint;
                if (!from.Address.Equals(server.Address) || (peer is not null && !from.Equals(peer)))
                {
                    continue; // another transfer's or a stranger's datagram (RFC 1350 section 4: wrong TID)
                }

                var packet = buffer.AsMemory(0, answer.ReceivedBytes);
                if (!TftpPacket.TryReadOpcode(packet.Span, out var opcode))
                {
                    continue;
                }

                try
                {
                    switch ((TftpOpcode)opcode)
                    {
                        case TftpOpcode.Error:
                            var (code, message) = TftpPacket.ReadError(packet.Span);
                            if (code == TftpErrorCode.FileNotFound)
                            {
                                return FetchResult.NotFound(FetchTransport.Tftp);
                            }

                            throw new PhoneNetworkException($"TFTP {server}: error {(int)code} for {fileName}: {message}");
                        case TftpOpcode.Oack when peer is null:
                            peer = from;
                            foreach (var option in TftpPacket.ReadOack(packet.Span))
                            {
                                if (option.Name.Equals("blksize", StringComparison.OrdinalIgnoreCase))
                                {
                                    blockSize = int.TryParse(option.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                                        && size is >= 8 and <= 65464 && size <= options.BlockSize
                                        ? size
                                        : throw new PhoneNetworkException($"TFTP {server}: OACK blksize '{option.Value}' was not offered.");
                                }
                                else if (option.Name.Equals("tsize", StringComparison.OrdinalIgnoreCase)
                                    && long.TryParse(option.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var tsize)
                                    && tsize > WireLimits.MaxFileBytes)
                                {
                                    await AbortAsync(socket, from, "file too large");
                                    throw new PhoneNetworkException($"TFTP {server}: {fileName} is {tsize} bytes, over the phone's limit.");
                                }
                            }

                            lastLength = TftpPacket.WriteAck(last, 0);
                            lastTarget = from;
                            retries = 0;
                            await socket.SendToAsync(last.AsMemory(0, lastLength), SocketFlags.None, from, cancellationToken);
                            break;
                        case TftpOpcode.Data:
                            peer ??= from;
                            var block = TftpPacket.ReadBlock(packet.Span);
                            if (block != expected)
                            {
                                // A duplicate of the previous block: our ACK was lost; the retransmission tick resends it.
                                continue;
                            }

                            var payload = packet[TftpPacket.HeaderSize..];
                            if (payload.Length > blockSize)
                            {
                                throw new PhoneNetworkException($"TFTP {server}: block {block} of {payload.Length} bytes exceeds blksize {blockSize}.");
                            }

                            if (received.WrittenCount + payload.Length > WireLimits.MaxFileBytes)
                            {
                                await AbortAsync(socket, from, "file too large");
                                throw new PhoneNetworkException($"TFTP {server}: {fileName} exceeds {WireLimits.MaxFileBytes} bytes.");
                            }

                            received.Write(payload.Span);
                            lastLength = TftpPacket.WriteAck(last, block);
                            lastTarget = from;
                            retries = 0;
                            await socket.SendToAsync(last.AsMemory(0, lastLength), SocketFlags.None, from, cancellationToken);
                            if (payload.Length < blockSize)
                            {
                                return FetchResult.Found(received.WrittenSpan.ToArray(), FetchTransport.Tftp);
                            }

                            expected++;
                            break;
                        default:
                            continue;
                    }
                }
                catch (TftpFormatException e)
                {
                    throw new PhoneNetworkException($"TFTP {server}: malformed packet for {fileName}: {e.Message}", e);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(last);
        }
    }

    private IPAddress LocalAddress(IPEndPoint server)
    {
        if (localAddress is null)
        {
            return server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        }

        return localAddress.AddressFamily == server.AddressFamily
            ? localAddress
            : throw new PhoneNetworkException($"TFTP {server}: the phone's address {localAddress} is of another address family.");
    }

    private static async Task AbortAsync(Socket socket, IPEndPoint peer, string message)
    {
        var error = new byte[TftpPacket.HeaderSize + message.Length + 1];
        var length = TftpPacket.WriteError(error, TftpErrorCode.NotDefined, message);
        await socket.SendToAsync(error.AsMemory(0, length), SocketFlags.None, peer);
    }
}

/// <summary>How the phone's TFTP client behaves.</summary>
public sealed record TftpClientOptions
{
    /// <summary>blksize offered (the path MTU of Ethernet less IP/UDP/TFTP headers, as phones offer).</summary>
    public int BlockSize { get; init; } = 1428;

    /// <summary>Silence after which the last packet is sent again.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Retransmissions before the transfer fails.</summary>
    public int Retries { get; init; } = 4;
}
