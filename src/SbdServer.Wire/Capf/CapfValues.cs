namespace SbdServer.Wire.Capf;

/// <summary>REASON element values (formats.md section 6).</summary>
public enum CapfReason : byte
{
    /// <summary>Nothing to do (END_SESSION after fetch, or no scheduled operation).</summary>
    NoAction = 0,

    /// <summary>Success / certificate updated.</summary>
    UpdateCertificate = 1,

    /// <summary>Generic failure: wrong authentication string, bad signature, expired operation.</summary>
    InvalidElement = 7,

    UnknownDevice = 9,
}

/// <summary>AUTH TYPE element values.</summary>
public enum CapfAuthType : byte
{
    None = 0,
    Password = 1,
    NoPassword = 2,
    Lsc = 3,
    Mic = 4,
}

/// <summary>KEY TYPE element values.</summary>
public enum CapfKeyType : byte
{
    Rsa = 0,
    Ec = 1,
}

/// <summary>CURVE element values.</summary>
public enum CapfCurve : byte
{
    P256 = 0,
    P384 = 1,
    P521 = 2,
}

/// <summary>CERTIFICATE TYPE element values.</summary>
public enum CapfCertificateType : byte
{
    Lsc = 1,
    Mic = 2,
}

/// <summary>Hash algorithm byte in front of SHA-2 SIGNED DATA.</summary>
public enum CapfDigest : byte
{
    Sha1 = 1,
    Sha256 = 2,
    Sha512 = 3,
}
