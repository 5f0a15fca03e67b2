using SbdServer.Core.Audit;
using SbdServer.Core.Events;
using SbdServer.Core.Storage;

namespace SbdServer.Core.CertificateManagement;

/// <summary>
/// The load-decide-commit shape every security command has (ADR 0003): one writer per process, the store's cluster
/// write lock (the same guarantee across nodes on a shared database), a fresh load, the command's decision, one commit.
/// What a unit of work does (locks, concurrency tokens) lives here and nowhere else.
/// </summary>
public sealed class SecurityUnitOfWork(ISecurityStore store, CertificateStoreEventHub events, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _writer = new(1, 1);

    public TimeProvider Time => time;

    public void Dispose() => _writer.Dispose();

    /// <summary>The current state, for reads; no lock.</summary>
    public Task<SecuritySnapshot> LoadAsync(CancellationToken cancellationToken) => store.LoadAsync(cancellationToken);

    /// <summary>
    /// Runs <paramref name="decide"/> on a state loaded under the locks and commits what it put into the change set
    /// (nothing when it left it empty). A refusal thrown by <paramref name="decide"/> commits nothing.
    /// </summary>
    public async Task<T> RunAsync<T>(
        Func<SecuritySnapshot, SecurityChangeSet, CancellationToken, Task<T>> decide, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decide);
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using var clusterLock = await store.AcquireWriteLockAsync(cancellationToken);
            var state = await store.LoadAsync(cancellationToken);
            var changes = new SecurityChangeSet();
            var result = await decide(state, changes, cancellationToken);
            if (!changes.IsEmpty)
            {
                await store.CommitAsync(changes, cancellationToken);
            }

            return result;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <inheritdoc cref="RunAsync{T}(Func{SecuritySnapshot, SecurityChangeSet, CancellationToken, Task{T}}, CancellationToken)"/>
    public Task<T> RunAsync<T>(Func<SecuritySnapshot, SecurityChangeSet, T> decide, CancellationToken cancellationToken) =>
        RunAsync((state, changes, _) => Task.FromResult(decide(state, changes)), cancellationToken);

    /// <summary>Commits a change set that depends on no decision (an audit entry of a read, first start).</summary>
    public Task RecordAsync(SecurityChangeSet changes, CancellationToken cancellationToken) => store.CommitAsync(changes, cancellationToken);

    public AuditEntry Audit(string actor, string action, string target, string details) =>
        new() { Id = Guid.CreateVersion7(), At = time.GetUtcNow(), Actor = actor, Action = action, Target = target, Details = details };

    public CertificateStoreChange Change(CertificateStoreChangeKind kind, string? node, string? name, string? sha256) =>
        new(kind, events.InstanceId, node, name, sha256, time.GetUtcNow());

    /// <summary>The id other nodes see on this node's change notifications.</summary>
    public Guid InstanceId => events.InstanceId;
}
