using System.Security.Cryptography.X509Certificates;
using System.Text;
using SbdServer.Wire.EncSgn;
using SbdServer.Wire.Sgn;
using SbdServer.Wire.Signed;

namespace SbdServer.Crypto.Encryption;

/// <summary>Builds both files of an encrypted config (.enc.sgn and the stub .sgn).</summary>
public static class EncryptedConfigBuilder
{
    /// <summary>
    /// Encrypts <paramref name="plaintext"/> for the phone certificate and signs both files.
    /// <paramref name="configFileName"/> is the plain name (e.g. <c>SEP0011215A1AE3.cnf.xml</c>); the stub's certHash
    /// is always the phone certificate's MD5.
    /// </summary>
    public static EncryptedConfigFiles Build(
        ReadOnlySpan<byte> plaintext,
        string configFileName,
        X509Certificate2 phoneCertificate,
        IFileSigner signer,
        HashAlgorithmCode digest,
        uint timestamp,
        EncryptedConfigStubOptions? stub = null)
    {
        var encrypted = ConfigEncryptor.Encrypt(plaintext, phoneCertificate, digest);
        var encSgn = EncSgnCodec.Build(encrypted.Block, encrypted.Ciphertext, configFileName + ".enc.sgn", digest,
            timestamp, signer);
        var stubOptions = (stub ?? new EncryptedConfigStubOptions { CertificateHash = "" }) with
        {
            CertificateHash = ConfigEncryptor.CertificateHash(phoneCertificate),
        };
        var stubXml = Encoding.UTF8.GetBytes(EncryptedConfigStub.Build(stubOptions));
        var stubSgn = SgnCodec.Build(stubXml, configFileName + ".sgn", digest, timestamp, signer);
        return new EncryptedConfigFiles(encSgn, stubSgn);
    }
}
