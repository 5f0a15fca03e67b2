using SbdServer.Wire.EncSgn;
using SbdServer.Wire.Signed;

namespace SbdServer.Core.Provisioning;

/// <summary>The key operations the generated files need. Implemented over SbdServer.Crypto by the host.</summary>
public interface IPhoneFileCrypto
{
    /// <summary>A signer for the RSA key <paramref name="privateKeyPkcs8"/> of <paramref name="certificateDer"/>.</summary>
    /// <remarks>The caller disposes the signer when it is <see cref="IDisposable"/> and wipes the key bytes.</remarks>
    IFileSigner CreateSigner(byte[] certificateDer, byte[] privateKeyPkcs8);

    /// <summary>
    /// <c>.cnf.xml.enc.sgn</c> (the config encrypted for the phone certificate) and the signed stub
    /// <c>.cnf.xml.sgn</c> carrying the certificate's MD5.
    /// </summary>
    EncryptedConfigPair Encrypt(
        ReadOnlySpan<byte> config,
        string configFileName,
        byte[] phoneCertificateDer,
        IFileSigner signer,
        HashAlgorithmCode digest,
        uint timestamp,
        EncryptedConfigStubOptions stub);
}
