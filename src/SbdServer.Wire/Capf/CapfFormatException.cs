namespace SbdServer.Wire.Capf;

/// <summary>
/// Bytes that break the CAPF format. The message names the field and the numbers involved and never carries peer
/// bytes, so it is safe to log. A server closes the connection without an answer when it sees one.
/// </summary>
public sealed class CapfFormatException : Exception
{
    public CapfFormatException()
    {
    }

    public CapfFormatException(string message)
        : base(message)
    {
    }

    public CapfFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
