using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace SbdServer.Wire.Tlv;

/// <summary>Writes big-endian TLVs into any <see cref="IBufferWriter{T}"/>.</summary>
public sealed class TlvWriter(IBufferWriter<byte> output)
{
    private readonly IBufferWriter<byte> _output = output;
    private int _pending;

    /// <summary>Bytes written so far through this writer.</summary>
    public int Written { get; private set; }

    /// <summary>Size of a TLV carrying a NUL-terminated string.</summary>
    public static int CStringSize(string value) => TlvElement.HeaderSize + Encoding.UTF8.GetByteCount(value) + 1;

    public void WriteTlv(byte tag, ReadOnlySpan<byte> value)
    {
        var span = BeginTlv(tag, value.Length);
        value.CopyTo(span);
        Commit(value.Length);
    }

    /// <summary>Writes only a tag and length: the start of a container whose children follow.</summary>
    public void WriteContainer(byte tag, int childrenLength)
    {
        _ = BeginTlv(tag, childrenLength);
        Commit(0);
    }

    public void WriteU8(byte tag, byte value) => WriteTlv(tag, [value]);

    public void WriteU16(byte tag, ushort value)
    {
        var span = BeginTlv(tag, 2);
        BinaryPrimitives.WriteUInt16BigEndian(span, value);
        Commit(2);
    }

    public void WriteU32(byte tag, uint value)
    {
        var span = BeginTlv(tag, 4);
        BinaryPrimitives.WriteUInt32BigEndian(span, value);
        Commit(4);
    }

    /// <summary>A UTF-8 string followed by one NUL.</summary>
    public void WriteCString(byte tag, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value) + 1;
        var span = BeginTlv(tag, length);
        var written = Encoding.UTF8.GetBytes(value, span);
        span[written] = 0;
        Commit(length);
    }

    /// <summary>Raw bytes with no tag or length (header padding, payloads).</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        var span = _output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        _output.Advance(bytes.Length);
        Written += bytes.Length;
    }

    private Span<byte> BeginTlv(byte tag, int length)
    {
        if ((uint)length > WireLimits.MaxValueBytes)
        {
            WireThrow.TooLarge("TLV writer", $"value of tag {tag}", length, WireLimits.MaxValueBytes);
        }

        var span = _output.GetSpan(TlvElement.HeaderSize + length);
        span[0] = tag;
        BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)length);
        _pending = TlvElement.HeaderSize;
        return span.Slice(TlvElement.HeaderSize, length);
    }

    private void Commit(int valueLength)
    {
        _output.Advance(_pending + valueLength);
        Written += _pending + valueLength;
        _pending = 0;
    }
}
