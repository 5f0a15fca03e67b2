using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SbdServer.Core.Certificates;
using SbdServer.Core.Errors;

namespace SbdServer.Crypto.Certificates;

/// <summary>PEM, DER and PKCS#12 import/export of certificates and private keys.</summary>
public sealed class CertificateCodec : ICertificateCodec
{
    /// <summary>PBKDF2 rounds for password-encrypted PKCS#8 keys we write (OWASP 2023 for PBKDF2-HMAC-SHA256).</summary>
    public const int EncryptedKeyIterations = 600_000;

    private const string CertificateLabel = "CERTIFICATE";
    private const string Pkcs8Label = "PRIVATE KEY";
    private const string EncryptedPkcs8Label = "ENCRYPTED PRIVATE KEY";
    private const string Pkcs1Label = "RSA PRIVATE KEY";
    private const string Sec1Label = "EC PRIVATE KEY";
    private const string EcParametersLabel = "EC PARAMETERS";

    public IReadOnlyList<byte[]> ReadCertificates(ReadOnlySpan<byte> pemOrDer)
    {
        CheckSize(pemOrDer);
        if (pemOrDer.IsEmpty)
        {
            throw new CertificateImportException("The input is empty; expected a PEM or DER certificate.");
        }

        if (!PemReader.LooksLikePem(pemOrDer))
        {
            return [ReadDerCertificate(pemOrDer)];
        }

        var certificates = new List<byte[]>();
        foreach (var block in PemReader.ReadBlocks(pemOrDer))
        {
            switch (block.Label)
            {
                case CertificateLabel:
                    certificates.Add(ReadDerCertificate(block.Der, certificates.Count + 1));
                    break;
                case Pkcs8Label or EncryptedPkcs8Label or Pkcs1Label or Sec1Label:
                    CryptographicOperations.ZeroMemory(block.Der);
                    throw new CertificateImportException(
                        "The input contains a private key; upload certificates only.");
                default:
                    throw new CertificateImportException($"Unsupported PEM block '{block.Label}'; expected CERTIFICATE.");
            }
        }

        return certificates.Count > 0
            ? certificates
            : throw new CertificateImportException("The PEM text contains no CERTIFICATE block.");
    }

    public CertificateBundle ReadBundle(ReadOnlySpan<byte> pem, bool requireKey, string? password = null)
    {
        CheckSize(pem);
        if (!PemReader.LooksLikePem(pem))
        {
            throw new CertificateImportException("The input is not PEM text (no -----BEGIN line).");
        }

        var certificates = new List<byte[]>();
        byte[]? key = null;
        try
        {
            foreach (var block in PemReader.ReadBlocks(pem))
            {
                if (block.Label == CertificateLabel)
                {
                    certificates.Add(ReadDerCertificate(block.Der, certificates.Count + 1));
                    continue;
                }

                if (block.Label == EcParametersLabel)
                {
                    // 'openssl ecparam -genkey' writes the curve before the key; the key repeats it.
                    continue;
                }

                var pkcs8 = KeyFromBlock(block, password);
                if (key is not null)
                {
                    CryptographicOperations.ZeroMemory(pkcs8);
                    throw new CertificateImportException("The PEM text contains more than one private key.");
                }

                key = pkcs8;
            }

            if (certificates.Count == 0)
            {
                throw new CertificateImportException("The PEM text contains no CERTIFICATE block.");
            }

            if (key is null)
            {
                return requireKey
                    ? throw new CertificateImportException(
                        "The PEM text has no private key, but this operation needs the certificate's key.")
                    : new CertificateBundle(certificates[0], null, certificates.Skip(1).ToList());
            }

            using var keyObject = PrivateKeys.Import(key);
            var index = certificates.FindIndex(der =>
            {
                using var certificate = X509CertificateLoader.LoadCertificate(der);
                return CertificateInspector.KeyMatches(certificate, keyObject);
            });
            if (index < 0)
            {
                throw new CertificateImportException(
                    "The private key does not match the certificate (or any certificate) in the PEM text.");
            }

            var chain = certificates.Where((_, i) => i != index).ToList();
            var bundle = new CertificateBundle(certificates[index], key, chain);
            key = null;
            return bundle;
        }
        finally
        {
            if (key is not null)
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }
    }

    public byte[] ReadPrivateKey(ReadOnlySpan<byte> pemOrDer, string? password = null)
    {
        CheckSize(pemOrDer);
        if (PemReader.LooksLikePem(pemOrDer))
        {
            var keys = PemReader.ReadBlocks(pemOrDer)
                .Where(b => b.Label is not CertificateLabel and not EcParametersLabel)
                .ToList();
            try
            {
                return keys.Count switch
                {
                    0 => throw new CertificateImportException("The PEM text contains no private key."),
                    1 => KeyFromBlock(keys[0], password),
                    _ => throw new CertificateImportException("The PEM text contains more than one private key."),
                };
            }
            finally
            {
                keys.ForEach(k => CryptographicOperations.ZeroMemory(k.Der));
            }
        }

        var label = password is null ? Pkcs8Label : EncryptedPkcs8Label;
        return KeyFromBlock(new PemBlock(label, pemOrDer.ToArray()), password);
    }

    public CertificateBundle ReadPkcs12(ReadOnlySpan<byte> pkcs12, string password)
    {
        CheckSize(pkcs12);
        ArgumentNullException.ThrowIfNull(password);
        if (!LooksLikePfx(pkcs12))
        {
            throw new CertificateImportException("The data is not a PKCS#12 (PFX) file.");
        }

        X509Certificate2Collection collection;
        try
        {
            collection = X509CertificateLoader.LoadPkcs12Collection(
                pkcs12, password, X509KeyStorageFlags.Exportable | X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (Pkcs12LoadLimitExceededException ex)
        {
            throw new CertificateImportException("The PKCS#12 file exceeds the loader's safety limits.", ex);
        }
        catch (CryptographicException ex)
        {
            throw new WrongPasswordException("The PKCS#12 password is wrong, or the file is damaged.", ex);
        }

        try
        {
            var withKey = collection.FirstOrDefault(c => c.HasPrivateKey)
                ?? throw new CertificateImportException("The PKCS#12 file holds no private key.");
            var key = ExportPkcs8(withKey);
            var chain = collection.Where(c => !ReferenceEquals(c, withKey)).Select(c => c.RawData).ToList();
            return new CertificateBundle(withKey.RawData, key, chain);
        }
        finally
        {
            foreach (var certificate in collection)
            {
                certificate.Dispose();
            }
        }
    }

    public byte[] WritePkcs12(CertificateBundle bundle, string password)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(password);
        var collection = new X509Certificate2Collection();
        try
        {
            var leaf = CertificateInspector.Load(bundle.CertificateDer);
            if (bundle.PrivateKeyPkcs8 is { } pkcs8)
            {
                using var key = PrivateKeys.Import(pkcs8);
                if (!CertificateInspector.KeyMatches(leaf, key))
                {
                    leaf.Dispose();
                    throw new CertificateImportException("The private key does not match the certificate.");
                }

                var withKey = key switch
                {
                    RSA rsa => leaf.CopyWithPrivateKey(rsa),
                    ECDsa ec => leaf.CopyWithPrivateKey(ec),
                    _ => throw new CertificateImportException("Only RSA and EC keys are supported."),
                };
                leaf.Dispose();
                leaf = withKey;
            }

            collection.Add(leaf);
            foreach (var der in bundle.Chain)
            {
                collection.Add(CertificateInspector.Load(der));
            }

            // PBES2 with AES-256-CBC and PBKDF2-HMAC-SHA256, and an HMAC-SHA256 MAC: no RC2/3DES/SHA-1.
            return collection.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password);
        }
        finally
        {
            foreach (var certificate in collection)
            {
                certificate.Dispose();
            }
        }
    }

    public string WriteCertificatePem(ReadOnlySpan<byte> certificateDer)
    {
        using var certificate = CertificateInspector.Load(certificateDer);
        return PemEncoding.WriteString(CertificateLabel, certificate.RawData) + "\n";
    }

    public byte[] WritePrivateKeyPem(ReadOnlySpan<byte> privateKeyPkcs8, string? password = null)
    {
        using var key = PrivateKeys.Import(privateKeyPkcs8);
        if (password is null)
        {
            return ToAsciiPem(Pkcs8Label, privateKeyPkcs8);
        }

        var encrypted = key.ExportEncryptedPkcs8PrivateKey(
            password,
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, EncryptedKeyIterations));
        return ToAsciiPem(EncryptedPkcs8Label, encrypted);
    }

    public byte[] WriteBundlePem(CertificateBundle bundle, string? keyPassword = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        using var output = new MemoryStream();
        if (bundle.PrivateKeyPkcs8 is { } key)
        {
            var keyPem = WritePrivateKeyPem(key, keyPassword);
            output.Write(keyPem);
            CryptographicOperations.ZeroMemory(keyPem);
        }

        foreach (var der in bundle.Chain.Prepend(bundle.CertificateDer))
        {
            output.Write(Encoding.ASCII.GetBytes(WriteCertificatePem(der)));
        }

        var pem = output.ToArray();
        CryptographicOperations.ZeroMemory(output.GetBuffer());
        return pem;
    }

    private static byte[] ToAsciiPem(string label, ReadOnlySpan<byte> der)
    {
        var chars = PemEncoding.Write(label, der);
        try
        {
            var bytes = new byte[chars.Length + 1];
            Encoding.ASCII.GetBytes(chars, bytes);
            bytes[^1] = (byte)'\n';
            return bytes;
        }
        finally
        {
            Array.Clear(chars);
        }
    }

    private static byte[] KeyFromBlock(PemBlock block, string? password)
    {
        try
        {
            switch (block.Label)
            {
                case Pkcs8Label:
                    {
                        using var key = PrivateKeys.Import(block.Der);
                        return key.ExportPkcs8PrivateKey();
                    }

                case Pkcs1Label:
                    {
                        using var rsa = RSA.Create();
                        rsa.ImportRSAPrivateKey(block.Der, out _);
                        return rsa.ExportPkcs8PrivateKey();
                    }

                case Sec1Label:
                    {
                        using var ec = ECDsa.Create();
                        ec.ImportECPrivateKey(block.Der, out _);
                        return ec.ExportPkcs8PrivateKey();
                    }

                case EncryptedPkcs8Label:
                    return password is null
                        ? throw new CertificateImportException("The private key is encrypted; give its password.")
                        : DecryptPkcs8(block.Der, password);

                default:
                    throw new CertificateImportException(
                        $"Unsupported PEM block '{block.Label}'; expected a certificate or a private key.");
            }
        }
        catch (CryptographicException ex)
        {
            throw new CertificateImportException($"The '{block.Label}' block is not a valid private key.", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(block.Der);
        }
    }

    private static byte[] DecryptPkcs8(byte[] encrypted, string password)
    {
        // The algorithm OID sits inside the encrypted part, so try the two key types CUCM uses.
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportEncryptedPkcs8PrivateKey(password, encrypted, out _);
            return rsa.ExportPkcs8PrivateKey();
        }
        catch (CryptographicException)
        {
            // Not RSA, or the password is wrong: try EC before deciding.
        }

        using var ec = ECDsa.Create();
        try
        {
            ec.ImportEncryptedPkcs8PrivateKey(password, encrypted, out _);
            return ec.ExportPkcs8PrivateKey();
        }
        catch (CryptographicException ex)
        {
            throw new WrongPasswordException(
                "The password does not decrypt the private key (or the key is damaged).", ex);
        }
    }

    private static byte[] ExportPkcs8(X509Certificate2 certificate)
    {
        using AsymmetricAlgorithm? key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey()
            ?? certificate.GetECDsaPrivateKey();
        return key?.ExportPkcs8PrivateKey()
            ?? throw new CertificateImportException("The PKCS#12 key is neither RSA nor EC.");
    }

    private static byte[] ReadDerCertificate(ReadOnlySpan<byte> der, int index = 0)
    {
        try
        {
            using var certificate = CertificateInspector.Load(der);
            _ = CertificateInspector.Inspect(certificate);
            return certificate.RawData;
        }
        catch (CertificateImportException ex) when (index > 0)
        {
            throw new CertificateImportException($"Certificate #{index}: {ex.Message}", ex);
        }
    }

    private static bool LooksLikePfx(ReadOnlySpan<byte> data)
    {
        try
        {
            // PFX ::= SEQUENCE { version INTEGER (v3), authSafe ContentInfo, macData MacData OPTIONAL }
            AsnDecoder.ReadSequence(data, AsnEncodingRules.BER, out var offset, out var length, out var consumed);
            if (consumed != data.Length)
            {
                return false;
            }

            return AsnDecoder.TryReadInt32(data.Slice(offset, length), AsnEncodingRules.BER, out var version, out _)
                && version == 3;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    private static void CheckSize(ReadOnlySpan<byte> input)
    {
        if (input.Length > ICertificateCodec.MaxInputBytes)
        {
            throw new CertificateImportException(
                $"The input is {input.Length} bytes; the limit is {ICertificateCodec.MaxInputBytes}.");
        }
    }
}
