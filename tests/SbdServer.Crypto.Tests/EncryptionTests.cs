using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SbdServer.Crypto.Encryption;
using SbdServer.Crypto.Signing;
using SbdServer.Crypto.Verification;
using SbdServer.Wire.EncSgn;
using SbdServer.Wire.Sgn;
using SbdServer.Wire.Signed;
using Xunit;

namespace SbdServer.Crypto.Tests;

public sealed class EncryptionTests
{
    [Theory]
    [InlineData(1, HashAlgorithmCode.Sha1)]
    [InlineData(15, HashAlgorithmCode.Sha1)]
    [InlineData(16, HashAlgorithmCode.Sha512)]
    [InlineData(7600, HashAlgorithmCode.Sha512)]
    public void Encrypted_config_round_trips_with_0x0d_padding(int length, HashAlgorithmCode digest)
    {
        using var phone = Testing.TestPki.Rsa("SEP0011215A1AE3", 2048, "phone");
        using var signerCertificate = Testing.TestPki.Rsa("cucm.example");
        using var signer = RsaFileSigner.FromCertificate(signerCertificate);
        var plaintext = RandomNumberGenerator.GetBytes(length);

        var files = EncryptedConfigBuilder.Build(plaintext, "SEP0011215A1AE3.cnf.xml", phone, signer, digest, 7);
        var encrypted = EncSgnCodec.Parse(files.EncryptedSigned);
        var block = encrypted.Header.Encryption!;

        Assert.Equal(new FileVersion(2, 0), encrypted.Header.Version);
        Assert.Equal("SEP0011215A1AE3.cnf.xml.enc.sgn", encrypted.Header.FileName);
        Assert.Equal(16 - (length % 16), block.PaddingCount);
        Assert.Equal(length + block.PaddingCount, encrypted.Body.Length);
        Assert.Equal(2048, block.KeySizeBits);
        Assert.Equal(256, block.WrappedKey.Length);
        Assert.Equal(digest, block.HashAlgorithm);
        Assert.Equal(HashAlgorithmMapping.Hash(digest, plaintext), block.PlaintextHash);
        Assert.True(SignedFileVerifier.Verify(encrypted, signerCertificate).IsValid);

        using var key = phone.GetRSAPrivateKey()!;
        Assert.Equal(plaintext, ConfigEncryptor.Decrypt(encrypted, key));

        var stub = SgnCodec.Parse(files.StubSigned);
        Assert.Equal("SEP0011215A1AE3.cnf.xml.sgn", stub.Header.FileName);
        Assert.True(SignedFileVerifier.Verify(stub, signerCertificate).IsValid);
        var xml = Encoding.UTF8.GetString(stub.Body.Span);
        Assert.Contains($"<certHash>{Convert.ToHexStringLower(MD5.HashData(phone.RawData))}</certHash>", xml,
            StringComparison.Ordinal);
        Assert.Contains("<encrConfig>true</encrConfig>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_encryption_uses_a_fresh_key_and_iv()
    {
        using var phone = Testing.TestPki.Rsa("SEP0011215A1AE3", 2048, "phone");
        var a = ConfigEncryptor.Encrypt("same"u8, phone, HashAlgorithmCode.Sha1);
        var b = ConfigEncryptor.Encrypt("same"u8, phone, HashAlgorithmCode.Sha1);
        Assert.NotEqual(a.Block.Iv, b.Block.Iv);
        Assert.NotEqual(a.Ciphertext, b.Ciphertext);
    }

    [Fact]
    public void Ec_phone_certificate_gets_a_clear_error()
    {
        using var phone = Testing.TestPki.Ec("SEP0011215A1AE3");
        var error = Assert.Throws<ConfigEncryptionException>(() =>
            ConfigEncryptor.Encrypt("x"u8, phone, HashAlgorithmCode.Sha1));
        Assert.Contains("EC key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Vector_phone_ec_certificate_is_refused_too()
    {
        using var phone = X509Certificate2.CreateFromPemFile(Vectors.Require("certs/phone-ec.pem"));
        Assert.Throws<ConfigEncryptionException>(() => ConfigEncryptor.Encrypt("x"u8, phone, HashAlgorithmCode.Sha1));
    }

    [Fact]
    public void Wrong_phone_key_and_tampered_ciphertext_are_reported()
    {
        using var phone = Testing.TestPki.Rsa("SEP0011215A1AE3", 2048, "phone");
        using var other = Testing.TestPki.Rsa("SEP000000000000", 2048, "other-phone");
        using var signerCertificate = Testing.TestPki.Rsa("cucm.example");
        using var signer = RsaFileSigner.FromCertificate(signerCertificate);
        var files = EncryptedConfigBuilder.Build(new byte[100], "SEP0011215A1AE3.cnf.xml", phone, signer,
            HashAlgorithmCode.Sha1, 7);

        using var otherKey = other.GetRSAPrivateKey()!;
        var wrongKey = Assert.Throws<ConfigEncryptionException>(() =>
            ConfigEncryptor.Decrypt(EncSgnCodec.Parse(files.EncryptedSigned), otherKey));
        Assert.Contains("does not decrypt", wrongKey.Message, StringComparison.Ordinal);

        var tampered = (byte[])files.EncryptedSigned.Clone();
        tampered[EncSgnCodec.Parse(files.EncryptedSigned).Header.HeaderLength + 5] ^= 0x01;
        using var key = phone.GetRSAPrivateKey()!;
        var error = Assert.Throws<ConfigEncryptionException>(() =>
            ConfigEncryptor.Decrypt(EncSgnCodec.Parse(tampered), key));
        Assert.Contains("digest", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Vector_enc_sgn_decrypts_with_the_phone_lsc()
    {
        using var phone = X509Certificate2.CreateFromPemFile(Vectors.Require("certs/phone-lsc.pem"));
        using var key = phone.GetRSAPrivateKey()!;
        var plain = ConfigEncryptor.Decrypt(
            EncSgnCodec.Parse(File.ReadAllBytes(Vectors.Require("enc/SEP0011215A1AE3.cnf.xml.enc.sgn"))), key);
        Assert.Equal(File.ReadAllBytes(Vectors.Require("SEP0011215A1AE3.cnf.xml")), plain);
        Assert.Equal("497906fbed262a64bc356ebd7bc69f42", ConfigEncryptor.CertificateHash(phone));
    }
}
