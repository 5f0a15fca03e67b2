using System.Buffers.Binary;

namespace SbdServer.Wire.Tvs;

/// <summary>
/// The 10-byte header in front of every TVS message (docs/protocols/tvs.md section 2).
/// <code>
///  0      1        2        3         4                8
///  +------+--------+--------+---------+----------------+---------------+
///  | 0x57 | ver 1  | cmd    | reserved| session id u32 | body len u16  |
///  +------+--------+--------+---------+----------------+---------------+
/// </code>
/// The body length excludes the header. The session id of a response echoes the request's.
/// </summary>
public readonly record struct TvsHeader(TvsCommand Command, uint SessionId, ushort BodyLength, byte Reserved = 0)
{
    public const int Size = 10;
    public const byte ProtocolId = 0x57;
    public const byte ProtocolVersion = 1;

    /// <summary>
    /// The reserved byte a real CUCM 11 put in its responses (TAC-213407 capture). Its meaning is unknown;
    /// phones ignore it, and sending what CUCM sends keeps us indistinguishable on the wire.
    /// </summary>
    public const byte CucmResponseReserved = 0xF7;

    private const int CommandOffset = 2;
    private const int ReservedOffset = 3;
    private const int SessionIdOffset = 4;
    private const int LengthOffset = 8;

    /// <summary>True when the command is one a client sends.</summary>
    public bool IsRequest => Command is TvsCommand.VerifyRequest or TvsCommand.QueryRequest;

    /// <summary>
    /// Reads a header. Returns false only when fewer than <see cref="Size"/> bytes are present; a wrong protocol id,
    /// version or an unknown command throws <see cref="TvsFormatException"/>.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out TvsHeader header)
    {
        if (source.Length < Size)
        {
            header = default;
            return false;
        }

        if (source[0] != ProtocolId)
        {
            TvsThrow.Format($"TVS header: protocol id {source[0]}, expected {ProtocolId}.");
        }

        if (source[1] != ProtocolVersion)
        {
            TvsThrow.Format($"TVS header: version {source[1]}, expected {ProtocolVersion}.");
        }

        var command = source[CommandOffset] switch
        {
            1 => TvsCommand.VerifyRequest,
            2 => TvsCommand.VerifyResponse,
            3 => TvsCommand.QueryRequest,
            4 => TvsCommand.QueryResponse,
            var other => TvsThrow.Format<TvsCommand>($"TVS header: unknown command {other}."),
        };

        header = new TvsHeader(
            command,
            BinaryPrimitives.ReadUInt32BigEndian(source[SessionIdOffset..]),
            BinaryPrimitives.ReadUInt16BigEndian(source[LengthOffset..]),
            source[ReservedOffset]);
        return true;
    }

    /// <summary>Writes the header into the first <see cref="Size"/> bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"Need {Size} bytes for a TVS header, got {destination.Length}.", nameof(destination));
        }

        destination[0] = ProtocolId;
        destination[1] = ProtocolVersion;
        destination[CommandOffset] = (byte)Command;
        destination[ReservedOffset] = Reserved;
        BinaryPrimitives.WriteUInt32BigEndian(destination[SessionIdOffset..], SessionId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[LengthOffset..], BodyLength);
    }
}
