using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace SbdServer.Core.Tftp;

/// <summary>
/// The bytes of one file as the catalogue hands them to a transfer: either in memory (generated files, small static
/// files) or an open file handle read positionally (large static files, so a 33 MB firmware is never copied).
/// Reads never mistake a short read for end of file.
/// </summary>
public sealed class TftpFileContent : IDisposable
{
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly SafeFileHandle? _handle;
    private TftpFileHashes? _hashes;
    private string? _eTag;

    private TftpFileContent(ReadOnlyMemory<byte> memory, SafeFileHandle? handle, long length, string source, string? eTag)
    {
        _memory = memory;
        _handle = handle;
        Length = length;
        Source = source;
        _eTag = eTag;
    }

    /// <summary>Total size in bytes (64-bit: TFTP rollover allows files beyond 32 MB).</summary>
    public long Length { get; }

    /// <summary>Name of the source that produced it, for logs and the served-file record.</summary>
    public string Source { get; }

    /// <summary>Strong HTTP entity tag (quoted) that changes whenever the bytes change.</summary>
    public string ETag => _eTag ??= $"\"{GetHashes().Sha256[..32]}\"";

    /// <summary>True when the bytes are in memory.</summary>
    public bool IsInMemory => _handle is null;

    /// <summary>In-memory content; hashes and the entity tag (from the SHA-256) are computed on first use.</summary>
    public static TftpFileContent FromMemory(ReadOnlyMemory<byte> bytes, string source) =>
        new(bytes, null, bytes.Length, source, null);

    /// <summary>In-memory content with precomputed hashes (a catalogue that caches its files computes them once).</summary>
    public static TftpFileContent FromMemory(ReadOnlyMemory<byte> bytes, string source, TftpFileHashes hashes) =>
        new(bytes, null, bytes.Length, source, null) { _hashes = hashes };

    /// <summary>Content read from an open handle; the content owns and closes the handle.</summary>
    public static TftpFileContent FromHandle(SafeFileHandle handle, long length, DateTimeOffset lastWrite, string source) =>
        new(ReadOnlyMemory<byte>.Empty, handle, length, source, $"\"{length:x}-{lastWrite.UtcTicks:x}\"");

    /// <summary>Copies up to <c>destination.Length</c> bytes from <paramref name="offset"/>; fewer only at end of file.</summary>
    public int Read(long offset, Span<byte> destination)
    {
        if (offset >= Length)
        {
            return 0;
        }

        var wanted = (int)Math.Min(destination.Length, Length - offset);
        if (_handle is null)
        {
            _memory.Span.Slice((int)offset, wanted).CopyTo(destination);
            return wanted;
        }

        var total = 0;
        while (total < wanted)
        {
            var n = RandomAccess.Read(_handle, destination[total..wanted], offset + total);
            if (n == 0)
            {
                break; // the file shrank underneath us; the transfer ends short rather than looping
            }

            total += n;
        }

        return total;
    }

    /// <summary>A read-only stream over the content (HTTP responses); disposing it does not dispose the content.</summary>
    public Stream OpenStream() => _handle is null
        ? new MemoryStreamView(_memory)
        : new FileStream(new SafeFileHandle(_handle.DangerousGetHandle(), ownsHandle: false), FileAccess.Read, 0);

    /// <summary>MD5, SHA-1 and SHA-256 of the bytes; computed once per content object.</summary>
    public TftpFileHashes GetHashes()
    {
        if (_hashes is not null)
        {
            return _hashes;
        }

        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (_handle is null)
        {
            md5.AppendData(_memory.Span);
            sha1.AppendData(_memory.Span);
            sha256.AppendData(_memory.Span);
        }
        else
        {
            var buffer = new byte[64 * 1024];
            long offset = 0;
            int n;
            while ((n = Read(offset, buffer)) > 0)
            {
                md5.AppendData(buffer, 0, n);
                sha1.AppendData(buffer, 0, n);
                sha256.AppendData(buffer, 0, n);
                offset += n;
            }
        }

        _hashes = new TftpFileHashes(
            Convert.ToHexStringLower(md5.GetHashAndReset()),
            Convert.ToHexStringLower(sha1.GetHashAndReset()),
            Convert.ToHexStringLower(sha256.GetHashAndReset()));
        return _hashes;
    }

    public void Dispose() => _handle?.Dispose();

    private sealed class MemoryStreamView(ReadOnlyMemory<byte> memory) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => memory.Length;

        public override long Position
        {
            get => _position;
            set => _position = Math.Clamp(value, 0, memory.Length);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, memory.Length - _position);
            memory.Span.Slice((int)_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            Position = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => _position + offset,
                SeekOrigin.End => memory.Length + offset,
                _ => throw new ArgumentOutOfRangeException(nameof(origin)),
            };
            return _position;
        }

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
