using System.Buffers.Binary;
using System.Text;

namespace SbdServer.Wire.Tftp;

/// <summary>DATA, ACK, ERROR and OACK packets (RFC 1350 section 5, RFC 2347).</summary>
/// <remarks>
/// <code>
///  DATA   | 03 | block u16 | payload (0..blksize)     |
///  ACK    | 04 | block u16 |
///  ERROR  | 05 | code u16  | message | 0 |
///  OACK   | 06 | name | 0 | value | 0 | ...           |
/// </code>
/// Writers fill a caller-owned span and return the length, so the hot path allocates nothing.
/// </remarks>
public static class TftpPacket
{
    /// <summary>Size of the opcode + block (or error code) header.</summary>
    public const int HeaderSize = 4;

    /// <summary>Longest error message written; longer texts are cut so an ERROR always fits in 512 bytes.</summary>
    public const int MaxErrorMessageLength = 200;

    /// <summary>Reads the opcode; false for a packet shorter than 2 bytes.</summary>
    public static bool TryReadOpcode(ReadOnlySpan<byte> packet, out ushort opcode)
    {
        if (packet.Length < 2)
        {
            opcode = 0;
            return false;
        }

        opcode = BinaryPrimitives.ReadUInt16BigEndian(packet);
        return true;
    }

    /// <summary>The block number of a DATA or ACK packet (or the code of an ERROR).</summary>
    /// <exception cref="TftpFormatException">The packet is shorter than the 4-byte header.</exception>
    public static ushort ReadBlock(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < HeaderSize)
        {
            throw new TftpFormatException($"TFTP block number: need {HeaderSize} bytes, have {packet.Length}.");
        }

        return BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
    }

    /// <summary>Parses an ERROR packet; a missing NUL after the message is tolerated.</summary>
    /// <exception cref="TftpFormatException">Not an ERROR packet or shorter than its header.</exception>
    public static (TftpErrorCode Code, string Message) ReadError(ReadOnlySpan<byte> packet)
    {
        if (!TryReadOpcode(packet, out var opcode) || opcode != (ushort)TftpOpcode.Error)
        {
            throw new TftpFormatException("TFTP ERROR: opcode is not 5.");
        }

        var code = ReadBlock(packet);
        var text = packet[HeaderSize..];
        var end = text.IndexOf((byte)0);
        if (end >= 0)
        {
            text = text[..end];
        }

        if (text.Length > MaxErrorMessageLength)
        {
            text = text[..MaxErrorMessageLength];
        }

        return ((TftpErrorCode)code, Encoding.Latin1.GetString(text));
    }

    /// <summary>Parses an OACK into its pairs (names as sent). A trailing empty string is tolerated.</summary>
    /// <exception cref="TftpFormatException">Not an OACK, or a name without a value.</exception>
    public static IReadOnlyList<TftpOption> ReadOack(ReadOnlySpan<byte> packet)
    {
        if (!TryReadOpcode(packet, out var opcode) || opcode != (ushort)TftpOpcode.Oack)
        {
            throw new TftpFormatException("TFTP OACK: opcode is not 6.");
        }

        var rest = packet[2..];
        var options = new List<TftpOption>();
        while (!rest.IsEmpty)
        {
            var nameEnd = rest.IndexOf((byte)0);
            if (nameEnd == 0)
            {
                rest = rest[1..];
                continue;
            }

            if (nameEnd < 0)
            {
                throw new TftpFormatException($"TFTP OACK option name: no NUL terminator in {rest.Length} bytes.");
            }

            var name = rest[..nameEnd];
            rest = rest[(nameEnd + 1)..];
            var valueEnd = rest.IndexOf((byte)0);
            if (valueEnd < 0)
            {
                throw new TftpFormatException($"TFTP OACK option {options.Count + 1}: value has no NUL terminator.");
            }

            if (options.Count >= TftpRequestCodec.MaxOptions)
            {
                throw new TftpFormatException($"TFTP OACK: more than {TftpRequestCodec.MaxOptions} options.");
            }

            options.Add(new TftpOption(Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(rest[..valueEnd])));
            rest = rest[(valueEnd + 1)..];
        }

        return options;
    }

    /// <summary>Writes the 4-byte DATA header; the caller has already placed the payload at offset 4.</summary>
    public static void WriteDataHeader(Span<byte> destination, ushort block)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)TftpOpcode.Data);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], block);
    }

    /// <summary>Writes a DATA packet; returns its length.</summary>
    public static int WriteData(Span<byte> destination, ushort block, ReadOnlySpan<byte> payload)
    {
        WriteDataHeader(destination, block);
        payload.CopyTo(destination[HeaderSize..]);
        return HeaderSize + payload.Length;
    }

    /// <summary>Writes an ACK packet; returns 4.</summary>
    public static int WriteAck(Span<byte> destination, ushort block)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)TftpOpcode.Ack);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], block);
        return HeaderSize;
    }

    /// <summary>Writes an ERROR packet with an ASCII message (cut to <see cref="MaxErrorMessageLength"/>).</summary>
    public static int WriteError(Span<byte> destination, TftpErrorCode code, string message)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)TftpOpcode.Error);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)code);
        var text = message.Length > MaxErrorMessageLength ? message[..MaxErrorMessageLength] : message;
        return HeaderSize + TftpRequestCodec.WriteString(destination[HeaderSize..], text.Replace('\0', ' '));
    }

    /// <summary>Writes an OACK with exactly the given pairs, each <c>name\0value\0</c> and nothing else.</summary>
    public static int WriteOack(Span<byte> destination, IReadOnlyList<TftpOption> options)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)TftpOpcode.Oack);
        var written = 2;
        foreach (var option in options)
        {
            written += TftpRequestCodec.WriteString(destination[written..], option.Name);
            written += TftpRequestCodec.WriteString(destination[written..], option.Value);
        }

        return written;
    }
}
