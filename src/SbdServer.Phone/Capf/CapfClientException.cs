namespace SbdServer.Phone.Capf;

/// <summary>The CAPF session could not be completed: connection, TLS pin, or a server that broke the protocol.</summary>
public sealed class CapfClientException : Exception
{
    public CapfClientException()
    {
    }

    public CapfClientException(string message)
        : base(message)
    {
    }

    public CapfClientException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
