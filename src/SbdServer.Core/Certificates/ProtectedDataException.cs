namespace SbdServer.Core.Certificates;

/// <summary>A protected key blob or archive is truncated, tampered with or not one of ours.</summary>
public sealed class ProtectedDataException : Exception
{
    public ProtectedDataException()
    {
    }

    public ProtectedDataException(string message)
        : base(message)
    {
    }

    public ProtectedDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
