using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SbdServer.Host.Tests;

/// <summary>
/// A plain RFC 1350 octet-mode reader (512-byte blocks, no options) for polling a host process's TFTP port: one
/// socket per fetch, lock-in to the server's transfer port, null on ERROR 1 (file not found).
/// </summary>
internal static class LoopbackTftp
{
    private const int BlockSize = 512;

    public static async Task<byte[]?> GetAsync(int port, string fileName, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var server = new IPEndPoint(IPAddress.Loopback, port);
        var name = Encoding.ASCII.GetBytes(fileName);
        var request = new byte[2 + name.Length + 1 + "octet".Length + 1];
        BinaryPrimitives.WriteUInt16BigEndian(request, 1);
        name.CopyTo(request, 2);
        Encoding.ASCII.GetBytes("octet").CopyTo(request, 2 + name.Length + 1);

        var output = new MemoryStream();
        var buffer = new byte[4 + BlockSize + 16];
        var ack = new byte[4];
        ushort expected = 1;
        EndPoint? tid = null;
        await socket.SendToAsync(request, SocketFlags.None, server, cancellationToken);
        while (true)
        {
            using var silence = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            silence.CancelAfter(TimeSpan.FromSeconds(5));
            var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), silence.Token);
            if (tid is not null && !tid.Equals(received.RemoteEndPoint))
            {
                continue;
            }

            tid = received.RemoteEndPoint;
            var length = received.ReceivedBytes;
            var opcode = BinaryPrimitives.ReadUInt16BigEndian(buffer);
            var block = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(2));
            if (opcode == 5)
            {
                return block == 1 ? null : throw new InvalidOperationException(
                    $"TFTP ERROR {block} for {fileName}: {Encoding.ASCII.GetString(buffer, 4, length - 4).TrimEnd('\0')}");
            }

            if (opcode != 3)
            {
                throw new InvalidOperationException($"Unexpected TFTP opcode {opcode} for {fileName}.");
            }

            if (block == expected)
            {
                output.Write(buffer, 4, length - 4);
                expected++;
            }

            BinaryPrimitives.WriteUInt16BigEndian(ack, 4);
            BinaryPrimitives.WriteUInt16BigEndian(ack.AsSpan(2), block);
            await socket.SendToAsync(ack, SocketFlags.None, tid, cancellationToken);
            if (block == (ushort)(expected - 1) && received.ReceivedBytes - 4 < BlockSize)
            {
                return output.ToArray();
            }
        }
    }
}
