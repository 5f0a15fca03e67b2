namespace SbdServer.Wire.Tlv;

/// <summary>
/// Malformed bytes in a phone security file (TLV, ITL/CTL, .sgn, .enc.sgn). The message names the field and the
/// numbers involved and never echoes peer bytes, so it is safe to log and to show to an operator.
/// </summary>
public sealed class WireFormatException : Exception
{
    public WireFormatException()
    {
    }

    public WireFormatException(string message)
        : base(message)
    {
    }

    public WireFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
