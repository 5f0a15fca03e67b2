using System.Security.Cryptography.X509Certificates;
using SbdServer.Core.Certificates;

namespace SbdServer.Crypto.Certificates;

/// <summary>CUCM's upload rules (cucm-reference 1.10) and CA-signed certificate acceptance.</summary>
public sealed class CertificateValidator(TimeProvider time) : ICertificateValidator
{
    /// <summary>CUCM refuses larger keys on upload.</summary>
    public const int MaxKeyBits = 4096;

    public TrustValidationResult ValidateTrustUpload(ReadOnlySpan<byte> certificateDer)
    {
        if (certificateDer.IsEmpty)
        {
            return TrustValidationResult.Reject(TrustRejection.Malformed, "The certificate is empty.");
        }

        CertificateFacts facts;
        try
        {
            using var certificate = CertificateInspector.Load(certificateDer);
            facts = CertificateInspector.Inspect(certificate);
        }
        catch (CertificateImportException ex)
        {
            return TrustValidationResult.Reject(TrustRejection.Malformed, ex.Message);
        }

        return CheckRules(facts);
    }

    public TrustValidationResult ValidateIssuedCertificate(
        ReadOnlySpan<byte> certificateDer,
        ReadOnlySpan<byte> pendingPrivateKeyPkcs8,
        IEnumerable<byte[]> trustCertificates,
        IEnumerable<byte[]>? extraChain = null)
    {
        ArgumentNullException.ThrowIfNull(trustCertificates);
        var upload = ValidateTrustUpload(certificateDer);
        if (!upload.IsValid)
        {
            return upload;
        }

        var facts = upload.Facts!;
        using var leaf = X509CertificateLoader.LoadCertificate(certificateDer);
        using (var key = PrivateKeys.Import(pendingPrivateKeyPkcs8))
        {
            if (!CertificateInspector.KeyMatches(leaf, key))
            {
                return TrustValidationResult.Reject(
                    TrustRejection.KeyMismatch,
                    "The certificate does not carry the public key of the pending CSR; it was issued for another key.",
                    facts);
            }
        }

        if (facts.IsSelfSigned)
        {
            return TrustValidationResult.Reject(
                TrustRejection.UntrustedChain,
                "The certificate is self-signed; a CA-signed certificate is expected for this CSR.",
                facts);
        }

        var loaded = new List<X509Certificate2>();
        try
        {
            using var chain = new X509Chain();
            var policy = chain.ChainPolicy;
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.RevocationMode = X509RevocationMode.NoCheck;
            policy.DisableCertificateDownloads = true;
            policy.VerificationTime = time.GetUtcNow().UtcDateTime;
            policy.VerificationTimeIgnored = false;
            foreach (var der in trustCertificates)
            {
                var certificate = CertificateInspector.Load(der);
                loaded.Add(certificate);
                var isRoot = CertificateInspector.Inspect(certificate).IsSelfSigned;
                (isRoot ? policy.CustomTrustStore : policy.ExtraStore).Add(certificate);
            }

            foreach (var der in extraChain ?? [])
            {
                var certificate = CertificateInspector.Load(der);
                loaded.Add(certificate);
                policy.ExtraStore.Add(certificate);
            }

            if (policy.CustomTrustStore.Count == 0)
            {
                return TrustValidationResult.Reject(
                    TrustRejection.UntrustedChain,
                    "The trust store holds no root (self-signed) certificate; upload the issuing CA's root first.",
                    facts);
            }

            if (!chain.Build(leaf))
            {
                var problems = chain.ChainStatus
                    .Select(s => string.IsNullOrWhiteSpace(s.StatusInformation)
                        ? s.Status.ToString()
                        : s.StatusInformation.Trim())
                    .Distinct();
                return TrustValidationResult.Reject(
                    TrustRejection.UntrustedChain,
                    $"The certificate does not chain to a root of the trust store: {string.Join("; ", problems)}",
                    facts);
            }

            return TrustValidationResult.Accept(
                facts, [.. chain.ChainElements.Select(e => e.Certificate.RawData)]);
        }
        catch (CertificateImportException ex)
        {
            return TrustValidationResult.Reject(
                TrustRejection.Malformed, $"A trust or chain certificate is unusable: {ex.Message}", facts);
        }
        finally
        {
            loaded.ForEach(c => c.Dispose());
        }
    }

    private TrustValidationResult CheckRules(CertificateFacts facts)
    {
        var now = time.GetUtcNow();
        if (now > facts.NotAfter)
        {
            return TrustValidationResult.Reject(
                TrustRejection.Expired, $"The certificate expired on {facts.NotAfter:yyyy-MM-dd HH:mm:ss} UTC.", facts);
        }

        if (now < facts.NotBefore)
        {
            return TrustValidationResult.Reject(
                TrustRejection.NotYetValid,
                $"The certificate is not valid before {facts.NotBefore:yyyy-MM-dd HH:mm:ss} UTC.",
                facts);
        }

        if (facts.IsWildcard)
        {
            return TrustValidationResult.Reject(
                TrustRejection.Wildcard, "Wildcard certificates ('*' in the CN or a SAN DNS name) are not accepted.", facts);
        }

        if (facts.PublicKeyAlgorithm is not ("RSA" or "EC") || facts.KeySizeBits == 0)
        {
            return TrustValidationResult.Reject(
                TrustRejection.UnsupportedKey,
                $"The certificate's key algorithm {facts.PublicKeyAlgorithm} is not supported; use RSA or EC.",
                facts);
        }

        if (facts.KeySizeBits > MaxKeyBits)
        {
            return TrustValidationResult.Reject(
                TrustRejection.KeyTooLarge,
                $"The certificate's {facts.PublicKeyAlgorithm} key is {facts.KeySizeBits} bits; at most {MaxKeyBits} are accepted.",
                facts);
        }

        return TrustValidationResult.Accept(facts);
    }
}
