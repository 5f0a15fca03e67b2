using System.Collections.Concurrent;
using SbdServer.Core.Tftp;

namespace SbdServer.Tftp.Tests.Infrastructure;

internal sealed class RecordingObserver : ITftpServedFileObserver
{
    public ConcurrentQueue<TftpServedFile> Served { get; } = new();

    public void OnServed(TftpServedFile served) => Served.Enqueue(served);
}
