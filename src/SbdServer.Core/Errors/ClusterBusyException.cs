namespace SbdServer.Core.Errors;

/// <summary>
/// Another node kept the cluster's write lock too long (or this node lost it): nothing was changed and the request
/// can be retried.
/// </summary>
public sealed class ClusterBusyException : ConflictException
{
    public ClusterBusyException(string message)
        : base(message)
    {
    }

    public ClusterBusyException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
