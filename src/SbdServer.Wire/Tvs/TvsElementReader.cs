using System.Buffers.Binary;

namespace SbdServer.Wire.Tvs;

/// <summary>
/// Walks the TLV elements of a TVS body: <c>tag:u8, length:u16, value[length]</c>. Every declared length is checked
/// against the bytes present; a partial element throws (the body is complete by the time it is parsed).
/// </summary>
internal ref struct TvsElementReader(ReadOnlySpan<byte> body)
{
    private const int ElementHeaderSize = 3;

    private readonly ReadOnlySpan<byte> _body = body;
    private int _offset;

    /// <summary>Offset of the element most recently read, for error messages.</summary>
    public readonly int ElementOffset => _elementOffset;

    private int _elementOffset;

    /// <summary>False at the end of the body; throws on a truncated element.</summary>
    public bool TryRead(out byte tag, out ReadOnlySpan<byte> value)
    {
        if (_offset == _body.Length)
        {
            tag = 0;
            value = default;
            return false;
        }

        var remaining = _body.Length - _offset;
        if (remaining < ElementHeaderSize)
        {
            TvsThrow.Format($"TVS element at offset {_offset}: {remaining} bytes left, an element header needs {ElementHeaderSize}.");
        }

        _elementOffset = _offset;
        tag = _body[_offset];
        var length = BinaryPrimitives.ReadUInt16BigEndian(_body[(_offset + 1)..]);
        if (length > remaining - ElementHeaderSize)
        {
            TvsThrow.Format(
                $"TVS element {tag} at offset {_offset}: declared length {length}, {remaining - ElementHeaderSize} bytes present.");
        }

        value = _body.Slice(_offset + ElementHeaderSize, length);
        _offset += ElementHeaderSize + length;
        return true;
    }
}
