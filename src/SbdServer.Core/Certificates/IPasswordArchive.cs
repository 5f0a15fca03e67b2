using SbdServer.Core.Errors;

namespace SbdServer.Core.Certificates;

/// <summary>
/// Password-encrypted archive for backups (AES-256-GCM under a PBKDF2 key, fresh salt and nonce per archive).
/// Opening throws <see cref="WrongPasswordException"/> for a wrong password and <see cref="ProtectedDataException"/>
/// for truncated or tampered archives; nothing is returned unless the whole archive authenticates.
/// </summary>
public interface IPasswordArchive
{
    byte[] Seal(ReadOnlySpan<byte> content, string password);

    byte[] Open(ReadOnlySpan<byte> archive, string password);

    /// <summary>Stream form of <see cref="Seal"/>; the content is buffered (backups are small).</summary>
    Task SealAsync(Stream content, Stream destination, string password, CancellationToken cancellationToken);

    /// <summary>Stream form of <see cref="Open"/>; writes nothing to <paramref name="destination"/> unless authentic.</summary>
    Task OpenAsync(Stream archive, Stream destination, string password, CancellationToken cancellationToken);
}
