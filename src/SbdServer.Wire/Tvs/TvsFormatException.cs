namespace SbdServer.Wire.Tvs;

/// <summary>
/// Bytes that break the TVS format. The message names the field and the numbers involved and never carries peer
/// bytes, so it is safe to log. A server closes the connection without an answer when it sees one.
/// </summary>
public sealed class TvsFormatException : Exception
{
    public TvsFormatException()
    {
    }

    public TvsFormatException(string message)
        : base(message)
    {
    }

    public TvsFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
