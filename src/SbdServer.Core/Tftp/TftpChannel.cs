namespace SbdServer.Core.Tftp;

/// <summary>How a file was asked for: TFTP (UDP 69) or HTTP (TCP 6970). Both serve the same catalogue.</summary>
public enum TftpChannel
{
    Tftp,
    Http,
}
