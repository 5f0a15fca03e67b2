namespace SbdServer.Wire.Tftp;

/// <summary>TFTP opcodes (RFC 1350 section 5, OACK from RFC 2347). The values are the 16-bit wire codes.</summary>
public enum TftpOpcode : ushort
{
    Rrq = 1,
    Wrq = 2,
    Data = 3,
    Ack = 4,
    Error = 5,
    Oack = 6,
}
