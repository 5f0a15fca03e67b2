namespace SbdServer.Wire.Capf;

/// <summary>Element tags of a CAPF message body (<c>tag:u8 length:u16 value</c>).</summary>
public enum CapfElementTag : byte
{
    Reason = 1,
    ReasonInfo = 2,
    CertificateType = 3,
    Certificate = 4,
    CertificateId = 5,
    SignedData = 6,
    Version = 7,
    AuthType = 8,
    PublicKey = 9,
    KeySize = 10,
    Password = 11,
    RetryDelay = 12,
    DeviceName = 13,
    SudiData = 16,
    KeyType = 17,
    Curve = 18,
    DigestType = 19,
    Sha2SignedData = 20,
}
