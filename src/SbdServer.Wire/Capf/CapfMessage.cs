namespace SbdServer.Wire.Capf;

/// <summary>
/// One CAPF message: command, session id and its elements in wire order. Built by the <see cref="CapfCodec"/>
/// factory methods or parsed by <c>CapfCodec.Read</c>, which has already checked every element's tag, length
/// and that it belongs to the command.
/// </summary>
public sealed class CapfMessage
{
    private readonly List<KeyValuePair<CapfElementTag, ReadOnlyMemory<byte>>> _elements;

    public CapfMessage(CapfCommand command, uint sessionId, IEnumerable<KeyValuePair<CapfElementTag, ReadOnlyMemory<byte>>>? elements = null)
    {
        Command = command;
        SessionId = sessionId;
        _elements = elements is null ? [] : [.. elements];
    }

    public CapfCommand Command { get; }

    public uint SessionId { get; }

    public IReadOnlyList<KeyValuePair<CapfElementTag, ReadOnlyMemory<byte>>> Elements => _elements;

    public bool Has(CapfElementTag tag) => _elements.Exists(e => e.Key == tag);

    /// <summary>The value of <paramref name="tag"/>, or null when absent (elements never repeat).</summary>
    public ReadOnlyMemory<byte>? Get(CapfElementTag tag)
    {
        foreach (var element in _elements)
        {
            if (element.Key == tag)
            {
                return element.Value;
            }
        }

        return null;
    }

    /// <summary>A one-byte element, or null when absent.</summary>
    public byte? GetByte(CapfElementTag tag) => Get(tag) is { } value ? value.Span[0] : null;

    /// <summary>REASON, or null when absent.</summary>
    public CapfReason? Reason => GetByte(CapfElementTag.Reason) is { } reason ? (CapfReason)reason : null;
}
