using System.Buffers.Binary;

namespace SbdServer.Wire.Capf;

/// <summary>
/// The 8-byte header in front of every CAPF message (formats.md section 6).
/// <code>
///  0      1        2                6
///  +------+--------+----------------+---------------+
///  | 0x55 | cmd    | session id u32 | body len u16  |
///  +------+--------+----------------+---------------+
/// </code>
/// The server assigns the session id in its first message; the phone echoes it in every message.
/// </summary>
public readonly record struct CapfHeader(CapfCommand Command, uint SessionId, ushort BodyLength)
{
    public const int Size = 8;
    public const byte ProtocolId = 0x55;

    private const int CommandOffset = 1;
    private const int SessionIdOffset = 2;
    private const int LengthOffset = 6;

    /// <summary>
    /// Reads a header. Returns false only when fewer than <see cref="Size"/> bytes are present; a wrong protocol id
    /// or an unknown command throws <see cref="CapfFormatException"/>.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out CapfHeader header)
    {
        if (source.Length < Size)
        {
            header = default;
            return false;
        }

        if (source[0] != ProtocolId)
        {
            CapfThrow.Format($"CAPF header: protocol id {source[0]}, expected {ProtocolId}.");
        }

        var command = source[CommandOffset];
        if (command is < (byte)CapfCommand.AuthRequest or > (byte)CapfCommand.SignCertificateResponse)
        {
            CapfThrow.Format($"CAPF header: unknown command {command}.");
        }

        header = new CapfHeader(
            (CapfCommand)command,
            BinaryPrimitives.ReadUInt32BigEndian(source[SessionIdOffset..]),
            BinaryPrimitives.ReadUInt16BigEndian(source[LengthOffset..]));
        return true;
    }

    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"Need {Size} bytes for a CAPF header, got {destination.Length}.", nameof(destination));
        }

        destination[0] = ProtocolId;
        destination[CommandOffset] = (byte)Command;
        BinaryPrimitives.WriteUInt32BigEndian(destination[SessionIdOffset..], SessionId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[LengthOffset..], BodyLength);
    }
}
