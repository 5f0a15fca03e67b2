namespace SbdServer.Wire.Signed;

/// <summary>Digest codes of the header HASH ALGORITHM (tag 8) and the encryption hash (tag 26).</summary>
public enum HashAlgorithmCode : byte
{
    Sha1 = 1,
    Sha256 = 2,
    Sha512 = 3,
}
