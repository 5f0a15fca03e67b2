namespace SbdServer.Core.Errors;

/// <summary>A password (cluster security password, PKCS#12 or key password) does not open the data it was given for.</summary>
public sealed class WrongPasswordException : DomainException
{
    public WrongPasswordException()
        : base("The password is wrong.")
    {
    }

    public WrongPasswordException(string message)
        : base(message)
    {
    }

    public WrongPasswordException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
