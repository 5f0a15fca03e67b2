using System.Collections.Concurrent;
using SbdServer.Core.Tftp;

namespace SbdServer.Tftp.Sources;

/// <summary>
/// Files under the static TFTP root (ring lists, locales, firmware, and for now the trust lists). Names arrive
/// normalised (<see cref="TftpFileName"/>); this source still proves every path stays inside the root, follows a
/// symbolic link only when its target stays inside the root too, and matches names case-insensitively when the exact
/// spelling does not exist (phones send upper-case MACs, admins copy files in lower case).
/// </summary>
public sealed class StaticRootFileSource : ITftpFileSource
{
    private const int MaxLinkDepth = 8;
    private const int MaxIndexedDirectories = 1024;

    private readonly string _root;
    private readonly string _rootPrefix;
    private readonly int _maxInMemoryBytes;
    private readonly ConcurrentDictionary<string, DirectoryIndex> _indexes = new(StringComparer.Ordinal);

    /// <param name="root">The root directory; it must exist.</param>
    /// <param name="maxInMemoryBytes">Files up to this size are read whole at open; larger ones stay on disk.</param>
    public StaticRootFileSource(string root, int maxInMemoryBytes)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"Tftp:Root '{root}' does not exist or is not a directory.");
        }

        // A root that is itself a link (e.g. /var/lib/tftpboot -> /srv/tftp) is judged by where it points.
        var target = new DirectoryInfo(full).ResolveLinkTarget(returnFinalTarget: true);
        _root = target is null ? full : Path.TrimEndingDirectorySeparator(Path.GetFullPath(target.FullName));
        _rootPrefix = _root + Path.DirectorySeparatorChar;
        _maxInMemoryBytes = maxInMemoryBytes;
    }

    public string Name => "static";

    public int Order => ITftpFileSource.StaticRootOrder;

    /// <summary>The resolved root directory.</summary>
    public string Root => _root;

    public ValueTask<TftpFileContent?> TryOpenAsync(TftpFileRequest request, CancellationToken cancellationToken)
    {
        var path = Resolve(request.Name);
        return ValueTask.FromResult(path is null ? null : Open(path));
    }

    /// <summary>Full path of the file to serve, or null (absent, escapes the root, or a link out of it).</summary>
    internal string? Resolve(string name)
    {
        var full = Path.GetFullPath(Path.Join(_root, name));
        if (!full.StartsWith(_rootPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        if (!File.Exists(full))
        {
            full = ResolveIgnoringCase(full);
            if (full is null)
            {
                return null;
            }
        }

        return StaysInside(full, 0) ? full : null;
    }

    private TftpFileContent? Open(string path)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // vanished, a directory, or unreadable: all look like "File not found" to the phone
        }

        try
        {
            var length = RandomAccess.GetLength(handle);
            if (length > _maxInMemoryBytes)
            {
                var content = TftpFileContent.FromHandle(handle, length, File.GetLastWriteTimeUtc(path), Name);
                handle = null!;
                return content;
            }

            var bytes = new byte[length];
            var read = 0;
            while (read < bytes.Length)
            {
                var n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
                if (n == 0)
                {
                    Array.Resize(ref bytes, read); // shrank while we read: serve what is there
                    break;
                }

                read += n;
            }

            return TftpFileContent.FromMemory(bytes, Name);
        }
        catch (IOException)
        {
            return null;
        }
        finally
        {
            handle?.Dispose();
        }
    }

    /// <summary>Walks the path below the root, matching each segment case-insensitively via a cached listing.</summary>
    private string? ResolveIgnoringCase(string full)
    {
        var current = _root;
        foreach (var segment in full[_rootPrefix.Length..].Split(Path.DirectorySeparatorChar))
        {
            var actual = Index(current)?.Find(segment);
            if (actual is null)
            {
                return null;
            }

            current = Path.Join(current, actual);
        }

        return File.Exists(current) ? current : null;
    }

    private DirectoryIndex? Index(string directory)
    {
        DateTime stamp;
        try
        {
            stamp = Directory.GetLastWriteTimeUtc(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (_indexes.TryGetValue(directory, out var index) && index.Stamp == stamp)
        {
            return index;
        }

        if (_indexes.Count >= MaxIndexedDirectories)
        {
            _indexes.Clear(); // bounded memory; listings are rebuilt on demand
        }

        index = DirectoryIndex.Build(directory, stamp);
        if (index is not null)
        {
            _indexes[directory] = index;
        }

        return index;
    }

    /// <summary>
    /// True when no symbolic link on the path below the root leads out of it. Each link is resolved one level at a
    /// time and the rest of the path re-checked from its target, so chains and links to directories are covered.
    /// </summary>
    private bool StaysInside(string full, int depth)
    {
        if (depth > MaxLinkDepth || !full.StartsWith(_rootPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var segments = full[_rootPrefix.Length..].Split(Path.DirectorySeparatorChar);
        var current = _root;
        for (var i = 0; i < segments.Length; i++)
        {
            current = Path.Join(current, segments[i]);
            var target = new FileInfo(current).LinkTarget;
            if (target is null)
            {
                continue;
            }

            var resolved = Path.GetFullPath(target, Path.GetDirectoryName(current)!);
            var rest = string.Join(Path.DirectorySeparatorChar, segments[(i + 1)..]);
            return StaysInside(rest.Length == 0 ? resolved : Path.GetFullPath(Path.Join(resolved, rest)), depth + 1);
        }

        return true;
    }

    private sealed class DirectoryIndex(DateTime stamp, Dictionary<string, string> entries)
    {
        private const int MaxEntries = 200_000;

        public DateTime Stamp => stamp;

        public static DirectoryIndex? Build(string directory, DateTime stamp)
        {
            var entries = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            try
            {
                foreach (var path in Directory.EnumerateFileSystemEntries(directory))
                {
                    var name = Path.GetFileName(path);
                    entries.TryAdd(name, name); // two spellings of one name: the first listed wins
                    if (entries.Count >= MaxEntries)
                    {
                        break;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null;
            }

            return new DirectoryIndex(stamp, entries);
        }

        public string? Find(string name) => entries.GetValueOrDefault(name);
    }
}
