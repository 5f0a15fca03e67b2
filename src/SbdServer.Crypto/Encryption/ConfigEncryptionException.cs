namespace SbdServer.Crypto.Encryption;

/// <summary>An encrypted config that cannot be made or read; the message is safe to show and names the cause.</summary>
public sealed class ConfigEncryptionException : Exception
{
    public ConfigEncryptionException()
    {
    }

    public ConfigEncryptionException(string message)
        : base(message)
    {
    }

    public ConfigEncryptionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
