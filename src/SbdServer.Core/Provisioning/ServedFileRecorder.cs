using System.Threading.Channels;
using SbdServer.Core.Devices;
using SbdServer.Core.Tftp;
using SbdServer.Wire.Names;

namespace SbdServer.Core.Provisioning;

/// <summary>
/// Takes the TFTP/HTTP served-file reports of per-device trust lists (<c>ITLSEP&lt;MAC&gt;.tlv</c>,
/// <c>CTLSEP&lt;MAC&gt;.tlv</c>) off the I/O path and stores them in batches (<see cref="RunAsync"/>).
/// </summary>
public sealed class ServedFileRecorder(IServedFileStore store, TimeProvider time) : ITftpServedFileObserver
{
    /// <summary>
    /// How long the first report of a burst waits for the rest: a boot storm reports hundreds of fetches a second, and
    /// one transaction per phone cost the TFTP service a busy database writer (docs/benchmarks.md).
    /// </summary>
    public static readonly TimeSpan BatchDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>The wait before storing a batch again after a failure; it doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>Reports beyond this many unsaved ones are dropped (oldest first) rather than growing memory.</summary>
    public const int Capacity = 20_000;

    private const int BatchSize = 500;

    private readonly Channel<DeviceServedFile> _queue = Channel.CreateBounded<DeviceServedFile>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void OnServed(TftpServedFile served)
    {
        ArgumentNullException.ThrowIfNull(served);
        if (!PhoneFileName.TryParse(served.RequestedName, out var file) || !file.IsTrustList || file.DeviceName is not { } device)
        {
            return; // only per-device names say which device fetched the file
        }

        _queue.Writer.TryWrite(new DeviceServedFile
        {
            Id = Guid.CreateVersion7(),
            DeviceName = device,
            Kind = file.Kind == PhoneFileKind.Itl ? "ITL" : "CTL",
            Md5 = served.Hashes.Md5,
            Sha1 = served.Hashes.Sha1,
            ServedAt = served.CompletedAt,
        });
    }

    /// <summary>
    /// Writes queued reports until cancelled. A batch the store refuses (the database is away) is retried with backoff
    /// until it is stored; meanwhile new reports wait in the bounded queue, so an outage costs at most the oldest reports
    /// beyond <see cref="Capacity"/>, not every fetch made while it lasted.
    /// </summary>
    public async Task RunAsync(Action<Exception> onError, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onError);
        var batch = new List<DeviceServedFile>(BatchSize);
        while (await _queue.Reader.WaitToReadAsync(cancellationToken))
        {
            await Task.Delay(BatchDelay, time, cancellationToken);
            while (_queue.Reader.TryPeek(out _))
            {
                while (batch.Count < BatchSize && _queue.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                await StoreAsync(batch, onError, cancellationToken);
                batch.Clear();
            }
        }
    }

    private async Task StoreAsync(List<DeviceServedFile> batch, Action<Exception> onError, CancellationToken cancellationToken)
    {
        var delay = FirstRetryDelay;
        while (true)
        {
            try
            {
                await store.RecordAsync(batch, cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                onError(ex);
            }

            await Task.Delay(delay, time, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }
}
