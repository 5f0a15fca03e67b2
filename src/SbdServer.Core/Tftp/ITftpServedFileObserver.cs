namespace SbdServer.Core.Tftp;

/// <summary>
/// Told about every file delivered completely (TFTP: final ACK received; HTTP: full 200 body). Called on the server's
/// I/O path: implementations must be quick and must not throw (queue the record and persist it elsewhere).
/// Hashes are only computed when at least one observer is registered.
/// </summary>
public interface ITftpServedFileObserver
{
    void OnServed(TftpServedFile served);
}
