using SbdServer.Core.Certificates;

namespace SbdServer.Crypto.Keys;

/// <summary>Creates <see cref="KeyProtector"/>s with the configured PBKDF2 cost.</summary>
public sealed class KeyProtectorFactory(KeyProtectionOptions options) : IKeyProtectorFactory
{
    public IKeyProtector Create(string password) => new KeyProtector(password, options);
}
