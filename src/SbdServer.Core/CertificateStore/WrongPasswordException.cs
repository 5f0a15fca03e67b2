namespace SbdServer.Core.CertificateStore;

/// <summary>Data sealed with another cluster security password, or damaged so that it cannot be told apart.</summary>
public sealed class WrongPasswordException : CertificateStoreException
{
    public WrongPasswordException()
        : base("The cluster security password does not match the one the data was sealed with (or the data is damaged).")
    {
    }

    public WrongPasswordException(string message)
        : base(message)
    {
    }

    public WrongPasswordException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
