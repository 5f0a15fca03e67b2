namespace SbdServer.Phone.Net;

/// <summary>A server could not be reached or answered out of protocol: not a trust decision.</summary>
public sealed class PhoneNetworkException : Exception
{
    public PhoneNetworkException()
    {
    }

    public PhoneNetworkException(string message)
        : base(message)
    {
    }

    public PhoneNetworkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
