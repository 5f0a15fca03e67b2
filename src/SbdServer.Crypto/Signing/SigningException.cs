namespace SbdServer.Crypto.Signing;

/// <summary>A signer that cannot be used (wrong key type, missing private key); the message is safe to show.</summary>
public sealed class SigningException : Exception
{
    public SigningException()
    {
    }

    public SigningException(string message)
        : base(message)
    {
    }

    public SigningException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
