namespace SbdServer.Tftp.Client;

/// <summary>An alternate location failed (timeout, protocol error, too large); the message is safe to log.</summary>
public sealed class TftpDownloadException : Exception
{
    public TftpDownloadException()
    {
    }

    public TftpDownloadException(string message)
        : base(message)
    {
    }

    public TftpDownloadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The location never answered (as opposed to answering wrongly).</summary>
    public bool IsTimeout { get; init; }
}
