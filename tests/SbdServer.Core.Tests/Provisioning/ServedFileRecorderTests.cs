using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using SbdServer.Core.Devices;
using SbdServer.Core.Provisioning;
using SbdServer.Core.Tftp;
using Xunit;

namespace SbdServer.Core.Tests.Provisioning;

/// <summary>
/// The served-file recorder turns a burst of fetches into few store calls: it waits <see cref="ServedFileRecorder.BatchDelay"/>
/// after the first report, then stores everything queued in batches of at most 500.
/// </summary>
public sealed class ServedFileRecorderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ABurst_IsStoredTogether_OnlyAfterTheBatchDelay()
    {
        var time = new FakeTimeProvider();
        var store = new RecordingStore();
        var recorder = new ServedFileRecorder(store, time);
        Report(recorder, 300);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = recorder.RunAsync(ex => throw ex, stop.Token);

        time.Advance(ServedFileRecorder.BatchDelay - TimeSpan.FromMilliseconds(1));
        Assert.Empty(store.Batches);

        time.Advance(TimeSpan.FromMilliseconds(1));
        await store.WaitForAsync(300);
        Assert.Equal([300], store.Batches.Select(b => b.Count));
        Assert.Equal(300, store.Batches.Single().Select(s => s.DeviceName).Distinct().Count());

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task MoreThanOneBatch_IsStoredInBatchesOf500_AfterOneDelay()
    {
        var time = new FakeTimeProvider();
        var store = new RecordingStore();
        var recorder = new ServedFileRecorder(store, time);
        Report(recorder, 1200);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = recorder.RunAsync(ex => throw ex, stop.Token);

        time.Advance(ServedFileRecorder.BatchDelay);
        await store.WaitForAsync(1200);

        Assert.Equal([500, 500, 200], store.Batches.Select(b => b.Count));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    private static void Report(ServedFileRecorder recorder, int devices)
    {
        var hashes = new TftpFileHashes(new string('a', 32), new string('b', 40), new string('c', 64));
        for (var i = 0; i < devices; i++)
        {
            var name = $"ITLSEP{0x001122000000 + i:X12}.tlv";
            recorder.OnServed(new TftpServedFile(name, "ITLFile.tlv", "generated", new IPEndPoint(IPAddress.Loopback, 1024 + i),
                TftpChannel.Tftp, 4963, hashes, DateTimeOffset.UnixEpoch));
        }
    }

    private sealed class RecordingStore : IServedFileStore
    {
        private readonly ConcurrentQueue<IReadOnlyList<DeviceServedFile>> _batches = new();

        public IReadOnlyList<IReadOnlyList<DeviceServedFile>> Batches => [.. _batches];

        public Task RecordAsync(IReadOnlyList<DeviceServedFile> served, CancellationToken cancellationToken)
        {
            _batches.Enqueue([.. served]); // the recorder reuses its list
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<DeviceServedFile>> ForDeviceAsync(string deviceName, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<DeviceServedFile>> ListAsync(CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public async Task WaitForAsync(int total)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (_batches.Sum(b => b.Count) < total && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10, Ct);
            }
        }
    }
}
