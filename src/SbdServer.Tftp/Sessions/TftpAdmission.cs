namespace SbdServer.Tftp.Sessions;

internal enum TftpAdmission
{
    Admitted,
    TooManySessions,
    RateLimited,
}
