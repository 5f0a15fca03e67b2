using SbdServer.Core.Errors;

namespace SbdServer.Core.Storage;

/// <summary>
/// The one write path: every command (device, certificate, parameter, restore, bulk import, ITL reset, host change,
/// admin user) is one unit of work through here, deciding into one <see cref="SecurityChangeSet"/> that
/// <see cref="ISecurityStore.CommitAsync"/> applies in one transaction under row versions, with the cluster write lock
/// around the whole unit where <see cref="WriteScope.Alone"/> (docs/adr/0003-cluster-writes.md).
/// </summary>
public static class SecurityWrites
{
    /// <summary>Runs <paramref name="decide"/> (read, check, fill the change set) and commits what it added.</summary>
    public static Task<T> WriteAsync<T>(
        this ISecurityStore store, WriteScope scope, Func<SecurityChangeSet, Task<T>> decide, CancellationToken cancellationToken) =>
        store.WriteAsync(scope, 1, decide, cancellationToken);

    /// <summary>
    /// As <see cref="WriteAsync{T}(ISecurityStore, WriteScope, Func{SecurityChangeSet, Task{T}}, CancellationToken)"/>;
    /// a <see cref="WriteConflictException"/> runs the whole unit again on a fresh read, up to
    /// <paramref name="attempts"/> times in all: for writes that do not rest on what a person saw (a phone
    /// acknowledging its reset, a CAPF outcome).
    /// </summary>
    public static async Task<T> WriteAsync<T>(
        this ISecurityStore store,
        WriteScope scope,
        int attempts,
        Func<SecurityChangeSet, Task<T>> decide,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(decide);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return scope == WriteScope.Alone
                    ? await store.AloneAsync(() => DecideAndCommitAsync(store, decide, cancellationToken), cancellationToken)
                    : await DecideAndCommitAsync(store, decide, cancellationToken);
            }
            catch (WriteConflictException ex) when (attempt < attempts && ex is not VersionMismatchException)
            {
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="unit"/> holding the cluster write lock (for a command whose commit is not a change set,
    /// such as a restore's <see cref="ISecurityStore.ReplaceAllAsync"/>).
    /// </summary>
    public static async Task<T> AloneAsync<T>(this ISecurityStore store, Func<Task<T>> unit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(unit);
        await using var held = await store.AcquireWriteLockAsync(cancellationToken);
        return await unit();
    }

    private static async Task<T> DecideAndCommitAsync<T>(
        ISecurityStore store, Func<SecurityChangeSet, Task<T>> decide, CancellationToken cancellationToken)
    {
        var changes = new SecurityChangeSet();
        var result = await decide(changes);
        if (!changes.IsEmpty)
        {
            await store.CommitAsync(changes, cancellationToken);
        }

        return result;
    }
}
