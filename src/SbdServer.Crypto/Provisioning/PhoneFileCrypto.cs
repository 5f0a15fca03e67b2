using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Core.Provisioning;
using SbdServer.Crypto.Encryption;
using SbdServer.Crypto.Signing;
using SbdServer.Wire.EncSgn;
using SbdServer.Wire.Signed;

namespace SbdServer.Crypto.Provisioning;

/// <summary>
/// The provisioning port of Core (<see cref="IPhoneFileCrypto"/>) over this project's signer and config encryption, so
/// the generated-file builder signs and encrypts without knowing which crypto library does it.
/// </summary>
internal sealed class PhoneFileCrypto : IPhoneFileCrypto
{
    public IFileSigner CreateSigner(byte[] certificateDer, byte[] privateKeyPkcs8)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(certificateDer);
        var key = RSA.Create();
        try
        {
            key.ImportPkcs8PrivateKey(privateKeyPkcs8, out _);
            return new RsaFileSigner(key, SignerIdentity.FromCertificate(certificate));
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public EncryptedConfigPair Encrypt(
        ReadOnlySpan<byte> config,
        string configFileName,
        byte[] phoneCertificateDer,
        IFileSigner signer,
        HashAlgorithmCode digest,
        uint timestamp,
        EncryptedConfigStubOptions stub)
    {
        using var phone = X509CertificateLoader.LoadCertificate(phoneCertificateDer);
        var files = EncryptedConfigBuilder.Build(config, configFileName, phone, signer, digest, timestamp, stub);
        return new EncryptedConfigPair(files.EncryptedSigned, files.StubSigned);
    }
}
