namespace SbdServer.Phone.Tvs;

/// <summary>The TVS server could not be reached, was not the expected server, or answered out of protocol.</summary>
public sealed class TvsClientException : Exception
{
    public TvsClientException()
    {
    }

    public TvsClientException(string message)
        : base(message)
    {
    }

    public TvsClientException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
