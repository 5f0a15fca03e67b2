using System.Buffers.Binary;
using System.Text;

namespace SbdServer.Wire.Tlv;

/// <summary>
/// Forward-only reader of <c>tag:u8 length:u16(BE) value</c> elements. Every declared length is checked against
/// the bytes present before it is used, and every read advances by at least one byte, so no input can make a
/// caller loop or read past the end. Offsets in messages are absolute (<paramref name="baseOffset"/> added).
/// </summary>
public ref struct TlvReader(ReadOnlySpan<byte> buffer, string context, int baseOffset = 0)
{
    private readonly ReadOnlySpan<byte> _buffer = buffer;
    private readonly string _context = context;
    private readonly int _baseOffset = baseOffset;

    /// <summary>Position of the next byte, relative to the buffer.</summary>
    public int Position { get; private set; }

    public readonly bool IsEnd => Position >= _buffer.Length;

    public readonly int Remaining => _buffer.Length - Position;

    /// <summary>Absolute offset of the next byte (for messages and display).</summary>
    public readonly int AbsolutePosition => _baseOffset + Position;

    public readonly byte PeekTag()
    {
        if (IsEnd)
        {
            WireThrow.Truncated(_context, "tag", AbsolutePosition, 1, 0);
        }

        return _buffer[Position];
    }

    /// <summary>Reads one lone byte (the header PADDING tag has no length field).</summary>
    public byte ReadByte(string field)
    {
        if (IsEnd)
        {
            WireThrow.Truncated(_context, field, AbsolutePosition, 1, 0);
        }

        return _buffer[Position++];
    }

    /// <summary>Reads a complete TLV; throws if its tag, length or value runs past the buffer.</summary>
    public TlvElement Read()
    {
        var start = Position;
        if (Remaining < TlvElement.HeaderSize)
        {
            WireThrow.Truncated(_context, "TLV tag and length", AbsolutePosition, TlvElement.HeaderSize, Remaining);
        }

        var tag = _buffer[start];
        int length = BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(start + 1, 2));
        if (length > Remaining - TlvElement.HeaderSize)
        {
            WireThrow.Format(
                $"{_context}: tag {tag} at offset {_baseOffset + start} declares {length} bytes but only " +
                $"{Remaining - TlvElement.HeaderSize} remain.");
        }

        Position = start + TlvElement.HeaderSize + length;
        return new TlvElement(tag, _baseOffset + start, _buffer.Slice(start + TlvElement.HeaderSize, length));
    }

    /// <summary>Reads a TLV and requires the given tag.</summary>
    public TlvElement Read(byte expectedTag, string field)
    {
        var position = AbsolutePosition;
        var element = Read();
        if (element.Tag != expectedTag)
        {
            WireThrow.Format(
                $"{_context}: expected {field} (tag {expectedTag}) at offset {position}, found tag {element.Tag}.");
        }

        return element;
    }

    /// <summary>A one-byte value; other lengths are malformed.</summary>
    public static byte ReadU8(TlvElement element, string context, string field)
    {
        RequireLength(element, 1, context, field);
        return element.Value[0];
    }

    public static ushort ReadU16(TlvElement element, string context, string field)
    {
        RequireLength(element, 2, context, field);
        return BinaryPrimitives.ReadUInt16BigEndian(element.Value);
    }

    public static uint ReadU32(TlvElement element, string context, string field)
    {
        RequireLength(element, 4, context, field);
        return BinaryPrimitives.ReadUInt32BigEndian(element.Value);
    }

    /// <summary>
    /// A NUL-terminated string. Trailing NULs are dropped (an empty DNS NAME is written as two NULs); a value
    /// without a terminator is accepted because the text is still unambiguous.
    /// </summary>
    public static string ReadCString(TlvElement element) =>
        Encoding.UTF8.GetString(element.Value.TrimEnd((byte)0));

    public static void RequireLength(TlvElement element, int length, string context, string field)
    {
        if (element.Length != length)
        {
            WireThrow.Format(
                $"{context}: {field} (tag {element.Tag}) at offset {element.Offset} is {element.Length} bytes, " +
                $"expected {length}.");
        }
    }
}
