using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SbdServer.Tftp.Tests.Infrastructure;

/// <summary>A deliberately small, strict TFTP client for tests: raw packets in, first answer out, or a full download.</summary>
internal static class RawTftp
{
    public static byte[] Rrq(string name, string mode = "octet", params (string Name, string Value)[] options)
    {
        var packet = new List<byte> { 0, 1 };
        packet.AddRange(Encoding.ASCII.GetBytes(name));
        packet.Add(0);
        packet.AddRange(Encoding.ASCII.GetBytes(mode));
        packet.Add(0);
        foreach (var (optionName, value) in options)
        {
            packet.AddRange(Encoding.ASCII.GetBytes(optionName));
            packet.Add(0);
            packet.AddRange(Encoding.ASCII.GetBytes(value));
            packet.Add(0);
        }

        return [.. packet];
    }

    public static byte[] Ack(ushort block)
    {
        var ack = new byte[4];
        ack[1] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(ack.AsSpan(2), block);
        return ack;
    }

    public static Socket Socket(IPEndPoint server)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(server.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0));
        return socket;
    }

    /// <summary>Sends one packet and returns the first answer (or null after <paramref name="waitMs"/>).</summary>
    public static async Task<(byte[] Packet, IPEndPoint From)?> FirstAnswerAsync(
        IPEndPoint server, byte[] packet, int waitMs = 1000)
    {
        using var socket = Socket(server);
        await socket.SendToAsync(packet, server);
        var answer = await ReceiveAsync(socket, waitMs);
        if (answer is { } a && a.Packet.Length >= 2 && a.Packet[1] is 3 or 6)
        {
            var abandon = new byte[] { 0, 5, 0, 0, (byte)'x', 0 };
            await socket.SendToAsync(abandon, a.From);
        }

        return answer;
    }

    public static async Task<(byte[] Packet, IPEndPoint From)?> ReceiveAsync(Socket socket, int waitMs)
    {
        var buffer = new byte[70000];
        using var cts = new CancellationTokenSource(waitMs);
        try
        {
            var r = await socket.ReceiveFromAsync(buffer, SocketFlags.None,
                new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0),
                cts.Token);
            return (buffer[..r.ReceivedBytes], (IPEndPoint)r.RemoteEndPoint);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Describes a packet the way tftp_probe.py does.</summary>
    public static string Describe(byte[]? packet)
    {
        if (packet is null)
        {
            return "(no answer within 1 s)";
        }

        if (packet.Length < 4)
        {
            return $"short packet of {packet.Length} bytes";
        }

        var number = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2));
        return packet[1] switch
        {
            3 => $"DATA block {number}, {packet.Length - 4} bytes",
            4 => $"ACK block {number}",
            5 => $"ERROR {number} '{Encoding.Latin1.GetString(packet.AsSpan(4)).Split('\0')[0]}'",
            6 => "OACK " + DescribeOack(packet),
            _ => $"opcode {packet[1]}",
        };
    }

    private static string DescribeOack(byte[] packet)
    {
        var fields = Encoding.Latin1.GetString(packet.AsSpan(2)).Split('\0');
        var pairs = new List<string>();
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            pairs.Add($"{fields[i]}={fields[i + 1]}");
        }

        return string.Join(' ', pairs);
    }

    /// <summary>Downloads a whole file: handles OACK, ACKs every block, fails on anything unexpected.</summary>
    public static async Task<byte[]> DownloadAsync(
        IPEndPoint server, string name, params (string Name, string Value)[] options)
    {
        using var socket = Socket(server);
        await socket.SendToAsync(Rrq(name, "octet", options), server);
        var blockSize = 512;
        ushort expected = 1;
        var output = new MemoryStream();
        IPEndPoint? tid = null;
        while (true)
        {
            var answer = await ReceiveAsync(socket, 5000) ?? throw new TimeoutException($"no packet for block {expected}");
            tid ??= answer.From;
            var packet = answer.Packet;
            switch (packet[1])
            {
                case 6:
                    foreach (var pair in DescribeOack(packet).Split(' '))
                    {
                        if (pair.StartsWith("blksize=", StringComparison.Ordinal))
                        {
                            blockSize = int.Parse(pair[8..]);
                        }
                    }

                    await socket.SendToAsync(Ack(0), tid);
                    break;
                case 3:
                    var block = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2));
                    if (block != expected)
                    {
                        continue;
                    }

                    output.Write(packet.AsSpan(4));
                    await socket.SendToAsync(Ack(block), tid);
                    if (packet.Length - 4 < blockSize)
                    {
                        return output.ToArray();
                    }

                    expected++;
                    break;
                case 5:
                    throw new FileNotFoundException(Describe(packet));
                default:
                    throw new InvalidOperationException(Describe(packet));
            }
        }
    }
}
