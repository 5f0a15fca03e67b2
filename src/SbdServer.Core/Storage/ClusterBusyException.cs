using SbdServer.Core.CertificateStore;

namespace SbdServer.Core.Storage;

/// <summary>
/// Another node kept the cluster's write lock too long (or this node lost it): nothing was changed and the request
/// can be retried. The API answers 409.
/// </summary>
public sealed class ClusterBusyException : CertificateStoreException
{
    public ClusterBusyException()
    {
    }

    public ClusterBusyException(string message)
        : base(message)
    {
    }

    public ClusterBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
