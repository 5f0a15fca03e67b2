namespace SbdServer.Core.Certificates;

/// <summary>Reads facts out of certificates. Implemented by SbdServer.Crypto.</summary>
public interface ICertificateInspector
{
    /// <summary>Facts of one DER certificate; <see cref="CertificateImportException"/> when it is not one.</summary>
    CertificateFacts Inspect(ReadOnlySpan<byte> certificateDer);

    /// <summary>True when <paramref name="privateKeyPkcs8"/> is the private half of the certificate's public key.</summary>
    bool KeyMatches(ReadOnlySpan<byte> certificateDer, ReadOnlySpan<byte> privateKeyPkcs8);

    /// <summary>Facts of one DER PKCS#10 CSR whose signature verifies; <see cref="CertificateImportException"/> otherwise.</summary>
    CsrFacts InspectCsr(ReadOnlySpan<byte> csrDer);

    /// <summary>True when <paramref name="privateKeyPkcs8"/> is the private half of the CSR's public key.</summary>
    bool CsrKeyMatches(ReadOnlySpan<byte> csrDer, ReadOnlySpan<byte> privateKeyPkcs8);
}
