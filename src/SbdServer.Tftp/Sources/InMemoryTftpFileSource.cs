using System.Collections.Concurrent;
using SbdServer.Core.Tftp;

namespace SbdServer.Tftp.Sources;

/// <summary>
/// A catalogue held in memory, looked up case-insensitively: the shape of the generated-file catalogue (bytes built
/// once, hashes computed once, served many times). Used by the benchmark host and by tests; thread-safe, so a
/// regeneration can replace a file while transfers of the old bytes finish.
/// </summary>
public sealed class InMemoryTftpFileSource(string name = "memory", int order = ITftpFileSource.GeneratedOrder)
    : ITftpFileSource
{
    private readonly ConcurrentDictionary<string, Entry> _files = new(StringComparer.OrdinalIgnoreCase);

    public string Name => name;

    public int Order => order;

    public int Count => _files.Count;

    /// <summary>Adds or replaces a file; the next request gets the new bytes.</summary>
    public void Set(string fileName, byte[] bytes)
    {
        var content = TftpFileContent.FromMemory(bytes, name);
        _files[fileName] = new Entry(bytes, content.GetHashes());
    }

    public bool Remove(string fileName) => _files.TryRemove(fileName, out _);

    public ValueTask<TftpFileContent?> TryOpenAsync(TftpFileRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_files.TryGetValue(request.Name, out var entry)
            ? TftpFileContent.FromMemory(entry.Bytes, name, entry.Hashes)
            : null);

    private sealed record Entry(byte[] Bytes, TftpFileHashes Hashes);
}
