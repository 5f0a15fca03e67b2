namespace SbdServer.Core.CertificateStore;

/// <summary>
/// Seals secrets under the cluster security password (AES-GCM under a PBKDF2-derived key, per-blob salt and nonce).
/// Implemented outside Core.
/// </summary>
public interface IKeyProtector
{
    /// <summary>Encrypts <paramref name="secret"/>; the blob is self-describing.</summary>
    byte[] Protect(ReadOnlySpan<byte> secret);

    /// <summary>Decrypts a blob; throws <see cref="WrongPasswordException"/> when the password does not fit.</summary>
    byte[] Unprotect(ReadOnlySpan<byte> blob);

    /// <summary>A blob that proves the password later without storing it.</summary>
    byte[] CreateVerifier();

    /// <summary>True when <paramref name="verifier"/> was made with the current password.</summary>
    bool Verify(ReadOnlySpan<byte> verifier);
}
