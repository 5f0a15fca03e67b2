namespace SbdServer.Phone.Net;

/// <summary>How a file reached the phone.</summary>
public enum FetchTransport
{
    Http,
    Tftp,
}

/// <summary>A fetched file, or the server's "not found".</summary>
public sealed record FetchResult(byte[]? Bytes, FetchTransport Transport)
{
    public bool IsFound => Bytes is not null;

    public static FetchResult Found(byte[] bytes, FetchTransport transport) => new(bytes, transport);

    public static FetchResult NotFound(FetchTransport transport) => new(null, transport);
}
