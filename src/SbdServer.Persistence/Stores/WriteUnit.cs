using System.Data.Common;

namespace SbdServer.Persistence.Stores;

/// <summary>
/// One load-decide-commit unit holding the database's single-writer lock from before its read to after its commit
/// (docs/adr/0003-cluster-writes.md). The unit owns a connection of its own; the store's commits inside the unit run on
/// that connection, so they neither wait for the lock they already hold nor write once the lock is gone.
/// </summary>
internal abstract class WriteUnit : IAsyncDisposable
{
    // The unit's async flow sees its own unit; another flow (another request on this node) does not.
    private static readonly AsyncLocal<WriteUnit?> Current = new();

    private readonly object _owner;
    private int _disposed;

    protected WriteUnit(object owner)
    {
        _owner = owner;

        // Registered before the caller's first await: an async method's AsyncLocal writes do not flow back to its caller.
        Current.Value = this;
    }

    /// <summary>The connection the unit holds the lock on; null until acquired and after disposal.</summary>
    protected DbConnection? Connection { get; set; }

    /// <summary>The live unit of <paramref name="owner"/> (one store) in this async flow, or null.</summary>
    public static WriteUnit? Of(object owner) =>
        Current.Value is { } unit && ReferenceEquals(unit._owner, owner) && Volatile.Read(ref unit._disposed) == 0
            && unit.Connection is not null
            ? unit
            : null;

    /// <summary>Runs <paramref name="write"/> in a transaction on the unit's connection and commits it.</summary>
    public abstract Task<T> CommitAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var connection = Connection;
        Connection = null;
        if (connection is not null)
        {
            await ReleaseAsync(connection);
        }
    }

    /// <summary>Gives the lock back (closing the connection gives it back as well) and disposes the connection.</summary>
    protected abstract ValueTask ReleaseAsync(DbConnection connection);
}
