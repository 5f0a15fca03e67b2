namespace SbdServer.Wire.Tftp;

/// <summary>
/// A TFTP packet that can never be valid. The message names the field and the numbers involved and never contains
/// peer bytes, so it is safe to log.
/// </summary>
public sealed class TftpFormatException : Exception
{
    public TftpFormatException()
    {
    }

    public TftpFormatException(string message)
        : base(message)
    {
    }

    public TftpFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
