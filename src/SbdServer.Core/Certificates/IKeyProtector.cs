using SbdServer.Core.Errors;

namespace SbdServer.Core.Certificates;

/// <summary>
/// Encrypts private keys at rest under the cluster security password it was created with (see
/// <see cref="IKeyProtectorFactory"/>). Blobs are self-describing and versioned; the password-derived key is cached,
/// so opening many blobs costs one derivation. Dispose wipes the cached keys.
/// </summary>
public interface IKeyProtector : IDisposable
{
    /// <summary>An encrypted, authenticated blob holding <paramref name="secret"/>.</summary>
    byte[] Protect(ReadOnlySpan<byte> secret);

    /// <summary>
    /// The secret of a blob made by <see cref="Protect"/>; <see cref="WrongPasswordException"/> when the blob was made
    /// under another password, <see cref="ProtectedDataException"/> when it is truncated or tampered with.
    /// </summary>
    byte[] Unprotect(ReadOnlySpan<byte> blob);

    /// <summary>A blob to store once, so a later start can check the password before touching any key.</summary>
    byte[] CreatePasswordVerifier();

    /// <summary>Throws <see cref="WrongPasswordException"/> unless this protector's password made the verifier.</summary>
    void VerifyPassword(ReadOnlySpan<byte> verifier);
}
