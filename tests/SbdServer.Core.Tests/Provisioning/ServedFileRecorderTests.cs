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

    [Fact]
    public async Task WhileTheStoreFails_TheBatchIsKeptAndRetriedWithBackoff_AndLaterReportsFollow()
    {
        var time = new FakeTimeProvider();
        var store = new RecordingStore(time, failures: 3);
        var recorder = new ServedFileRecorder(store, time);
        var errors = 0;
        Report(recorder, 10);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = recorder.RunAsync(_ => Interlocked.Increment(ref errors), stop.Token);

        var step = TimeSpan.FromMilliseconds(50);
        await AdvanceUntilAsync(time, step, () => store.Attempts.Count == 2);
        Report(recorder, 5, first: 100); // fetches go on during the outage
        await AdvanceUntilAsync(time, step, () => store.Batches.Count == 2);

        Assert.Equal(3, Volatile.Read(ref errors));
        Assert.Equal([10, 10, 10, 10, 5], store.Attempts.Select(a => a.Count));

        // Each wait doubles (1, 2, 4 s); a timer cannot fire early, and a late one would need the test thread to move
        // the clock 20 steps before the recorder registered it.
        var gaps = store.Attempts.Zip(store.Attempts.Skip(1), (a, b) => b.At - a.At).Take(3).ToList();
        var expected = ServedFileRecorder.FirstRetryDelay;
        foreach (var gap in gaps)
        {
            Assert.InRange(gap, expected, (2 * expected) - TimeSpan.FromTicks(1));
            expected *= 2;
        }

        Assert.Equal(15, store.Batches.SelectMany(b => b).Select(s => s.DeviceName).Distinct().Count());

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    /// <summary>Moves fake time in steps, letting the recorder run between them, until <paramref name="done"/>.</summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider time, TimeSpan step, Func<bool> done)
    {
        for (var i = 0; i < 2000 && !done(); i++)
        {
            time.Advance(step);
            await Task.Delay(5, Ct);
        }

        Assert.True(done(), "the recorder did not get there");
    }

    private static void Report(ServedFileRecorder recorder, int devices, int first = 0)
    {
        var hashes = new TftpFileHashes(new string('a', 32), new string('b', 40), new string('c', 64));
        for (var i = first; i < first + devices; i++)
        {
            var name = $"ITLSEP{0x001122000000 + i:X12}.tlv";
            recorder.OnServed(new TftpServedFile(name, "ITLFile.tlv", "generated", new IPEndPoint(IPAddress.Loopback, 1024 + i),
                TftpChannel.Tftp, 4963, hashes, DateTimeOffset.UnixEpoch));
        }
    }

    /// <summary>Records what it is asked to store; the first <c>failures</c> calls throw as a lost database would.</summary>
    private sealed class RecordingStore(TimeProvider? time = null, int failures = 0) : IServedFileStore
    {
        private readonly ConcurrentQueue<IReadOnlyList<DeviceServedFile>> _batches = new();
        private readonly ConcurrentQueue<(int Count, DateTimeOffset At)> _attempts = new();

        public IReadOnlyList<IReadOnlyList<DeviceServedFile>> Batches => [.. _batches];

        public IReadOnlyList<(int Count, DateTimeOffset At)> Attempts => [.. _attempts];

        public Task RecordAsync(IReadOnlyList<DeviceServedFile> served, CancellationToken cancellationToken)
        {
            _attempts.Enqueue((served.Count, (time ?? TimeProvider.System).GetUtcNow()));
            if (_attempts.Count <= failures)
            {
                throw new InvalidOperationException("database unreachable");
            }

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
