using SbdServer.Core.Audit;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Devices;
using SbdServer.Core.Impact;
using SbdServer.Core.Storage;

namespace SbdServer.Persistence.Tests;

/// <summary>
/// The real store with a pause before each commit, so a race test can hold a unit between its decision and its commit
/// while the other node acts (no sleeps, no luck).
/// </summary>
internal sealed class PausingSecurityStore(ISecurityStore inner) : ISecurityStore
{
    public Func<Task>? BeforeCommit { get; set; }

    public Task<SecuritySnapshot> LoadAsync(CancellationToken cancellationToken) => inner.LoadAsync(cancellationToken);

    public Task<IReadOnlyList<CertificateHistoryEntry>> GetHistoryAsync(CancellationToken cancellationToken) =>
        inner.GetHistoryAsync(cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> GetAuditAsync(int max, CancellationToken cancellationToken) =>
        inner.GetAuditAsync(max, cancellationToken);

    // Not async: the store may register the unit in the caller's execution context before returning.
    public Task<IAsyncDisposable> AcquireWriteLockAsync(CancellationToken cancellationToken) =>
        inner.AcquireWriteLockAsync(cancellationToken);

    public async Task CommitAsync(SecurityChangeSet changes, CancellationToken cancellationToken)
    {
        if (BeforeCommit is { } pause)
        {
            await pause();
        }

        await inner.CommitAsync(changes, cancellationToken);
    }

    public Task<SecurityArchiveContent> ExportAsync(CancellationToken cancellationToken) => inner.ExportAsync(cancellationToken);

    public Task ReplaceAllAsync(SecurityArchiveContent content, SecurityChangeSet extra, CancellationToken cancellationToken) =>
        inner.ReplaceAllAsync(content, extra, cancellationToken);
}

/// <summary>The real device store with a pause after a device is read (the read a later commit is based on).</summary>
internal sealed class PausingDeviceStore(IDeviceStore inner) : IDeviceStore
{
    public Func<Task>? AfterFind { get; set; }

    public Task<IReadOnlyList<Device>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    public async Task<Device?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var device = await inner.FindAsync(name, cancellationToken);
        if (AfterFind is { } pause)
        {
            await pause();
        }

        return device;
    }
}

/// <summary>Every device, never fetched: enough for the automatic reset, which goes by CallManager group.</summary>
internal sealed class StorePlanDevices(IDeviceStore devices) : IPlanDeviceSource
{
    public async Task<IReadOnlyList<PlannedDevice>> GetDevicesAsync(CancellationToken cancellationToken) =>
        [.. (await devices.ListAsync(cancellationToken)).Select(d => new PlannedDevice(d, TrustFileState.NeverFetched))];

    public Task<IReadOnlyList<PlannedDevice>> GetForPlanningAsync(CancellationToken cancellationToken) => GetDevicesAsync(cancellationToken);

    public async Task<IReadOnlyList<PopulationCount>> CountPopulationsAsync(CancellationToken cancellationToken) =>
        [.. (await GetDevicesAsync(cancellationToken)).CountBy(d => d.Population).Select(c => new PopulationCount(c.Key, c.Value))];

    public async Task<IReadOnlyList<PlannedDevice>> GetForPlanningAsync(
        IReadOnlyCollection<DevicePopulation> populations, int limit, CancellationToken cancellationToken) =>
        [.. (await GetDevicesAsync(cancellationToken)).Where(d => populations.Contains(d.Population)).OrderBy(d => d.Name, StringComparer.Ordinal).Take(limit)];
}

/// <summary>Two parties each wait here until both have arrived (async; Barrier would block a thread).</summary>
internal sealed class Rendezvous(int parties)
{
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    public Task ArriveAsync()
    {
        if (Interlocked.Increment(ref _arrived) == parties)
        {
            _all.TrySetResult();
        }

        return _all.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
