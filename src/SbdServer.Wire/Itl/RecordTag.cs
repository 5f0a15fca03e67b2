namespace SbdServer.Wire.Itl;

/// <summary>
/// Tags of one ITL/CTL record, written in this order:
/// <code>1 RECORDLENGTH | 2 DNSNAME | 3 SUBJECTNAME | 4 FUNCTION | 5 ISSUERNAME | 6 SERIALNUMBER | 7 PUBLICKEY
/// | 8 SIGNATURE | 9 CERTIFICATE | 10 IPADDRESS | 11 CERTHASH | 12 HASH ALGORITHM</code>
/// </summary>
public static class RecordTag
{
    public const byte RecordLength = 1;
    public const byte DnsName = 2;
    public const byte SubjectName = 3;
    public const byte Function = 4;
    public const byte IssuerName = 5;
    public const byte SerialNumber = 6;
    public const byte PublicKey = 7;
    public const byte Signature = 8;
    public const byte Certificate = 9;
    public const byte IpAddress = 10;
    public const byte CertificateHash = 11;
    public const byte HashAlgorithm = 12;

    public static string Name(byte tag) => tag switch
    {
        RecordLength => "RECORDLENGTH",
        DnsName => "DNSNAME",
        SubjectName => "SUBJECTNAME",
        Function => "FUNCTION",
        IssuerName => "ISSUERNAME",
        SerialNumber => "SERIALNUMBER",
        PublicKey => "PUBLICKEY",
        Signature => "SIGNATURE",
        Certificate => "CERTIFICATE",
        IpAddress => "IPADDRESS",
        CertificateHash => "CERTHASH",
        HashAlgorithm => "HASH ALGORITHM",
        _ => "UNKNOWN",
    };
}
