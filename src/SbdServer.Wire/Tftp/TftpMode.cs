namespace SbdServer.Wire.Tftp;

/// <summary>Transfer modes a server can serve. RFC 1350 "mail" is obsolete and deliberately absent.</summary>
public enum TftpMode
{
    Octet,
    Netascii,
}
