namespace SbdServer.Wire.Tlv;

/// <summary>One TLV as read from a buffer: its tag, where it starts, and its value (a view, not a copy).</summary>
public readonly ref struct TlvElement(byte tag, int offset, ReadOnlySpan<byte> value)
{
    /// <summary>Bytes of the tag and length fields in front of every value.</summary>
    public const int HeaderSize = 3;

    public byte Tag { get; } = tag;

    /// <summary>Offset of the tag byte, relative to the reader's buffer.</summary>
    public int Offset { get; } = offset;

    public ReadOnlySpan<byte> Value { get; } = value;

    public int Length => Value.Length;

    /// <summary>Offset just past the value.</summary>
    public int End => Offset + HeaderSize + Value.Length;
}
