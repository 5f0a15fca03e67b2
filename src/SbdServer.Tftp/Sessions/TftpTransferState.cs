namespace SbdServer.Tftp.Sessions;

internal enum TftpTransferState
{
    Running,
    Completed,
    TimedOut,
    ClientError,
}
