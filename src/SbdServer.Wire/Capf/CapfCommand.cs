namespace SbdServer.Wire.Capf;

/// <summary>Command byte at offset 1 of a CAPF header (docs/protocols/capf.md).</summary>
public enum CapfCommand : byte
{
    AuthRequest = 1,
    AuthResponse = 2,
    KeyGenerateRequest = 3,
    KeyGenerateResponse = 4,
    EncryptResponse = 5,
    EncryptRequest = 6,
    DecryptRequest = 7,
    DecryptResponse = 8,
    StoreCertificateRequest = 9,
    StoreCertificateResponse = 10,
    FetchCertificateRequest = 11,
    FetchCertificateResponse = 12,
    DeleteCertificateRequest = 13,
    DeleteCertificateResponse = 14,
    EndSession = 15,
    RetryLater = 16,
    RequestInProgress = 17,
    StatusRequest = 18,
    StatusResponse = 19,
    AbortRequest = 20,
    AbortResponse = 21,
    SignCertificateRequest = 22,
    SignCertificateResponse = 23,
}
