using System.Buffers;

namespace SbdServer.Wire.Tlv;

/// <summary>An <see cref="IBufferWriter{T}"/> over a buffer whose final size is known up front.</summary>
internal sealed class FixedBufferWriter(Memory<byte> buffer) : IBufferWriter<byte>
{
    private readonly Memory<byte> _buffer = buffer;

    public int Written { get; private set; }

    public void Advance(int count)
    {
        if (count < 0 || Written + count > _buffer.Length)
        {
            throw new InvalidOperationException("Advanced past the end of the fixed buffer.");
        }

        Written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        if (sizeHint < 0 || Written + sizeHint > _buffer.Length)
        {
            throw new InvalidOperationException(
                $"Fixed buffer of {_buffer.Length} bytes cannot take {sizeHint} more after {Written}.");
        }

        return _buffer[Written..];
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
}
