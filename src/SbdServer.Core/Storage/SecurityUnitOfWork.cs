using SbdServer.Core.Audit;
using SbdServer.Core.Errors;
using SbdServer.Core.Events;

namespace SbdServer.Core.Storage;

/// <summary>
/// The one write path (docs/adr/0003-cluster-writes.md): every command (certificate, parameter, device, CAPF, admin
/// user, restore, bulk import, ITL reset, host change) is one unit of work through here, deciding into one
/// <see cref="SecurityChangeSet"/> that <see cref="ISecurityStore.CommitAsync"/> applies in one transaction under the
/// rows' versions. A unit <see cref="WriteScope.Alone"/> also holds the store's cluster write lock from before its first
/// read to after its commit. What a unit of work is (locks, retries, concurrency tokens) is decided here and nowhere
/// else.
/// </summary>
public sealed class SecurityUnitOfWork(ISecurityStore store, CertificateStoreEventHub events, TimeProvider time) : IDisposable
{
    // Units of this process queue here before the store's lock: a waiter then waits asynchronously instead of holding
    // a database connection (PostgreSQL) or a thread in SQLite's busy retry while it waits for its turn.
    private readonly SemaphoreSlim _writer = new(1, 1);

    public TimeProvider Time => time;

    public void Dispose() => _writer.Dispose();

    /// <summary>The current state, for reads; no lock.</summary>
    public Task<SecuritySnapshot> LoadAsync(CancellationToken cancellationToken) => store.LoadAsync(cancellationToken);

    /// <summary>
    /// Runs <paramref name="decide"/> alone, on a state loaded under the cluster write lock, and commits what it put
    /// into the change set (nothing when it left it empty). A refusal thrown by <paramref name="decide"/> commits
    /// nothing.
    /// </summary>
    public Task<T> RunAsync<T>(
        Func<SecuritySnapshot, SecurityChangeSet, CancellationToken, Task<T>> decide, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decide);
        return WriteAsync(WriteScope.Alone, async (changes, ct) => await decide(await store.LoadAsync(ct), changes, ct), cancellationToken);
    }

    /// <inheritdoc cref="RunAsync{T}(Func{SecuritySnapshot, SecurityChangeSet, CancellationToken, Task{T}}, CancellationToken)"/>
    public Task<T> RunAsync<T>(Func<SecuritySnapshot, SecurityChangeSet, T> decide, CancellationToken cancellationToken) =>
        RunAsync((state, changes, _) => Task.FromResult(decide(state, changes)), cancellationToken);

    /// <summary>Runs <paramref name="decide"/> (its own reads, its checks, the change set) in <paramref name="scope"/> once.</summary>
    public Task<T> WriteAsync<T>(
        WriteScope scope, Func<SecurityChangeSet, CancellationToken, Task<T>> decide, CancellationToken cancellationToken) =>
        WriteAsync(scope, 1, decide, cancellationToken);

    /// <summary>
    /// Runs <paramref name="decide"/> (its own reads, its checks, the change set) in <paramref name="scope"/> and
    /// commits what it added. A <see cref="WriteConflictException"/> runs the whole unit again on fresh reads, up to
    /// <paramref name="attempts"/> times in all: for writes that do not rest on what a person saw (a phone
    /// acknowledging its reset, a CAPF outcome). A <see cref="VersionMismatchException"/> (the caller said which
    /// version it saw) is never retried.
    /// </summary>
    public async Task<T> WriteAsync<T>(
        WriteScope scope, int attempts, Func<SecurityChangeSet, CancellationToken, Task<T>> decide, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decide);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return scope == WriteScope.Alone
                    ? await AloneAsync(ct => DecideAndCommitAsync(decide, ct), cancellationToken)
                    : await DecideAndCommitAsync(decide, cancellationToken);
            }
            catch (WriteConflictException ex) when (attempt < attempts && ex is not VersionMismatchException)
            {
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="unit"/> holding the cluster write lock, for a command whose commit is not a change set
    /// (a restore's <see cref="ISecurityStore.ReplaceAllAsync"/>): no other writer on any node commits in between.
    /// </summary>
    public async Task<T> AloneAsync<T>(Func<CancellationToken, Task<T>> unit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using var clusterLock = await store.AcquireWriteLockAsync(cancellationToken);
            return await unit(cancellationToken);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>Commits a change set that depends on no decision (an audit entry of a read, first start).</summary>
    public Task RecordAsync(SecurityChangeSet changes, CancellationToken cancellationToken) => store.CommitAsync(changes, cancellationToken);

    public AuditEntry Audit(string actor, string action, string target, string details) =>
        new() { Id = Guid.CreateVersion7(), At = time.GetUtcNow(), Actor = actor, Action = action, Target = target, Details = details };

    public CertificateStoreChange Change(CertificateStoreChangeKind kind, string? node, string? name, string? sha256) =>
        new(kind, events.InstanceId, node, name, sha256, time.GetUtcNow());

    /// <summary>The id other nodes see on this node's change notifications.</summary>
    public Guid InstanceId => events.InstanceId;

    private async Task<T> DecideAndCommitAsync<T>(Func<SecurityChangeSet, CancellationToken, Task<T>> decide, CancellationToken cancellationToken)
    {
        var changes = new SecurityChangeSet();
        var result = await decide(changes, cancellationToken);
        if (!changes.IsEmpty)
        {
            await store.CommitAsync(changes, cancellationToken);
        }

        return result;
    }
}
