namespace SbdServer.Wire.Signed;

/// <summary>
/// Tags of the signed header shared by ITL/CTL (1.2), .sgn (1.0) and .enc.sgn (2.0) files.
/// <code>
/// 1 VERSION | 2 HEADER LENGTH | [28 SIGNER VERSION] | 3 SIGNER INFO {4 NAME, 5 SERIAL, 6 ISSUER}
/// | 7 SIGNATURE INFO {8 HASH, 9 {10 ALGORITHM, 11 MODULUS}} | 12 SIGNATURE | 14 FILENAME | 15 TIMESTAMP
/// | [16 ENCRYPTION INFO {17 IV INFO {18, 19, 20}, 21 KEY INFO {22, 23, 24, 25}} | 26 | 27] | 13 13 ...
/// </code>
/// </summary>
public static class HeaderTag
{
    public const byte Version = 1;
    public const byte HeaderLength = 2;
    public const byte SignerInfo = 3;
    public const byte SignerName = 4;
    public const byte SerialNumber = 5;
    public const byte IssuerName = 6;
    public const byte SignatureInfo = 7;
    public const byte HashAlgorithm = 8;
    public const byte SignatureAlgorithmInfo = 9;
    public const byte SignatureAlgorithm = 10;
    public const byte SignatureModulus = 11;
    public const byte Signature = 12;

    /// <summary>A lone byte with no length field, repeated until the header is a multiple of 4 bytes.</summary>
    public const byte Padding = 13;

    public const byte FileName = 14;
    public const byte Timestamp = 15;
    public const byte EncryptionInfo = 16;
    public const byte IvInfo = 17;
    public const byte IvReserved = 18;
    public const byte Iv = 19;
    public const byte IvPadding = 20;
    public const byte KeyInfo = 21;
    public const byte KeyReserved = 22;
    public const byte KeySize = 23;
    public const byte KeyAlgorithm = 24;
    public const byte Key = 25;
    public const byte EncryptionHashAlgorithm = 26;
    public const byte EncryptionHash = 27;
    public const byte SignerVersion = 28;

    public static string Name(byte tag) => tag switch
    {
        Version => "VERSION",
        HeaderLength => "HEADERLENGTH",
        SignerInfo => "SIGNERID",
        SignerName => "SIGNERNAME",
        SerialNumber => "SERIALNUMBER",
        IssuerName => "CANAME",
        SignatureInfo => "SIGNATUREINFO",
        HashAlgorithm => "DIGESTALGORTITHM",
        SignatureAlgorithmInfo => "SIGNATUREALGOINFO",
        SignatureAlgorithm => "SIGNATUREALGORTITHM",
        SignatureModulus => "SIGNATUREMODULUS",
        Signature => "SIGNATURE",
        Padding => "PADDING",
        FileName => "FILENAME",
        Timestamp => "TIMESTAMP",
        EncryptionInfo => "ENCRYPTIONINFO",
        IvInfo => "IVINFO",
        IvReserved => "IVRESERVED",
        Iv => "IV",
        IvPadding => "PADDINGCOUNT",
        KeyInfo => "KEYINFO",
        KeyReserved => "KEYRESERVED",
        KeySize => "KEYSIZE",
        KeyAlgorithm => "KEYALGORITHM",
        Key => "KEY",
        EncryptionHashAlgorithm => "ENCRYPTIONDIGESTALGORITHM",
        EncryptionHash => "ENCRYPTIONDIGEST",
        SignerVersion => "SIGNERVERSION",
        _ => "UNKNOWN",
    };
}
