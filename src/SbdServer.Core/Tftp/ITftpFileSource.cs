namespace SbdServer.Core.Tftp;

/// <summary>
/// One source of files for TFTP and HTTP 6970: "name + client -> bytes, or not mine". The catalogue asks the
/// sources in ascending <see cref="Order"/>: generated files (provisioning: ITL/CTL, device configs, .sgn),
/// then the static TFTP root, then the alternate file locations (remote TFTP servers).
/// </summary>
public interface ITftpFileSource
{
    /// <summary>Well-known orders; a generated catalogue registers <see cref="GeneratedOrder"/>.</summary>
    public const int GeneratedOrder = 0;

    public const int StaticRootOrder = 100;

    public const int AlternateLocationsOrder = 200;

    /// <summary>Short name for logs and the served-file record ("generated", "static", "alternate").</summary>
    string Name { get; }

    /// <summary>Position in the lookup chain; lower is asked first.</summary>
    int Order { get; }

    /// <summary>
    /// The file's content, or null when this source does not hold it. The caller disposes the content. Failures of
    /// the source's own infrastructure (database down) propagate; the server answers them as a failed transfer.
    /// </summary>
    /// <remarks>
    /// The TFTP server calls this on its one I/O thread, which serves every transfer in flight: complete synchronously
    /// only for cheap work (a cached file, a small local file), and go asynchronous (a real await, or
    /// <see cref="Task.Yield"/>) before anything slow such as signing or the network (ADR 0004).
    /// </remarks>
    ValueTask<TftpFileContent?> TryOpenAsync(TftpFileRequest request, CancellationToken cancellationToken);
}
