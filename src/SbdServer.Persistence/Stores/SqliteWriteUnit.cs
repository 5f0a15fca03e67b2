using System.Data.Common;
using Microsoft.Data.Sqlite;
using SbdServer.Core.Errors;

namespace SbdServer.Persistence.Stores;

/// <summary>
/// The single writer of a SQLite file, across connections and processes: <c>BEGIN IMMEDIATE</c> on a connection of the
/// unit's own takes the file's RESERVED lock, which every other writer (a unit, a plain commit, another process on the
/// same file) waits for with SQLite's busy timeout, while readers go on reading the last commit. The unit's commit is
/// that transaction's commit; a second commit in the same unit takes the lock again.
/// </summary>
internal sealed class SqliteWriteUnit : WriteUnit
{
    private readonly TimeSpan _timeout;
    private SqliteTransaction? _transaction;

    private SqliteWriteUnit(object owner, TimeSpan timeout)
        : base(owner) => _timeout = timeout;

    /// <summary>Not async on purpose: the unit is registered in the caller's execution context before the first await.</summary>
    public static Task<IAsyncDisposable> AcquireAsync(object owner, string connectionString, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var unit = new SqliteWriteUnit(owner, timeout);
        return unit.LockAsync(connectionString, cancellationToken);
    }

    public override async Task<T> CommitAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)(Connection ?? throw Lost());
        var transaction = _transaction ?? await BeginAsync(connection, cancellationToken);
        _transaction = null;
        await using (transaction)
        {
            var result = await write(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
    }

    protected override async ValueTask ReleaseAsync(DbConnection connection)
    {
        if (_transaction is { } open)
        {
            _transaction = null;

            // Nothing of a unit that did not commit is kept.
            await open.DisposeAsync();
        }

        await connection.DisposeAsync();
    }

    private static ClusterBusyException Lost() =>
        new("The write lock of this unit was already given back; nothing was changed, retry.");

    private async Task<IAsyncDisposable> LockAsync(string connectionString, CancellationToken cancellationToken)
    {
        // Microsoft.Data.Sqlite retries a busy BEGIN for DefaultTimeout seconds (whole seconds, at least one).
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(_timeout.TotalSeconds)),
        };
        var connection = new SqliteConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            _transaction = await BeginAsync(connection, cancellationToken);
            Connection = connection;
            return this;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task<SqliteTransaction> BeginAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            // Not deferred: BEGIN IMMEDIATE. The wait for another writer blocks a thread, so it runs off the caller's.
            return await Task.Run(() => connection.BeginTransaction(deferred: false), cancellationToken);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6)
        {
            throw new ClusterBusyException(
                $"Another writer has held the database for more than {_timeout.TotalSeconds:0.#} s; nothing was changed, retry.", ex);
        }
    }
}
