using System.Data;
using Npgsql;
using SbdServer.Core.Errors;

namespace SbdServer.Persistence.Stores;

/// <summary>
/// The cluster-wide write lock on PostgreSQL: a session-level advisory lock on a connection of its own, held for
/// one load-decide-commit unit. PostgreSQL drops it with the connection, so a node killed mid-unit never leaves
/// the cluster locked. Commits outside a unit take the same key transaction-scoped instead
/// (<see cref="EfSecurityStore"/>), so every write in the database is serialised on one key.
/// </summary>
internal sealed class ClusterWriteLock : IAsyncDisposable
{
    /// <summary>Advisory lock key ("SBDWRITE" in ASCII); advisory keys are per database, so clusters do not collide.</summary>
    public const long Key = 0x5342_4457_5249_5445;

    // The unit's async flow sees its own holder, so its commit does not wait for the lock it already holds.
    private static readonly AsyncLocal<ClusterWriteLock?> Current = new();

    private readonly object _owner;
    private NpgsqlConnection? _connection;

    private ClusterWriteLock(object owner) => _owner = owner;

    /// <summary>
    /// Starts acquiring the lock. Not async on purpose: the holder is registered in the caller's execution context
    /// before the first await, which an async method could not do (its AsyncLocal writes do not flow back).
    /// </summary>
    public static Task<IAsyncDisposable> AcquireAsync(
        object owner, string connectionString, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var holder = new ClusterWriteLock(owner);
        Current.Value = holder;
        return holder.LockAsync(connectionString, timeout, cancellationToken);
    }

    /// <summary>
    /// True when this async flow holds the lock for <paramref name="owner"/>. The server is asked, since a client
    /// learns of a dropped session only on its next command: when the lock is gone another node may already have
    /// written, so the unit must not commit (<see cref="ClusterBusyException"/>).
    /// </summary>
    public static async Task<bool> HeldByAsync(object owner, CancellationToken cancellationToken)
    {
        var holder = Current.Value;
        if (holder is null || !ReferenceEquals(holder._owner, owner) || holder._connection is not { } connection)
        {
            return false;
        }

        try
        {
            await using var check = new NpgsqlCommand(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid() " +
                "AND ((classid::bigint << 32) | objid::bigint) = @key",
                connection);
            check.Parameters.AddWithValue("key", Key);
            if (await check.ExecuteScalarAsync(cancellationToken) is long and > 0)
            {
                return true;
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or InvalidOperationException)
        {
            throw new ClusterBusyException(
                "The connection holding the cluster write lock was lost before the commit; nothing was changed, retry.", ex);
        }

        throw new ClusterBusyException("The cluster write lock was lost before the commit; nothing was changed, retry.");
    }

    public async ValueTask DisposeAsync()
    {
        var connection = _connection;
        _connection = null;
        if (connection is null)
        {
            return;
        }

        try
        {
            if (connection.FullState == ConnectionState.Open)
            {
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
                unlock.Parameters.AddWithValue("key", Key);
                await unlock.ExecuteScalarAsync(CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException)
        {
            // Closing the connection below releases a session lock as well.
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }

    private async Task<IAsyncDisposable> LockAsync(string connectionString, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // No pooling: a pooled connection would go back to the pool, not to the server, and keep a lock on failure.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using (var limit = new NpgsqlCommand("SELECT set_config('lock_timeout', @ms, false)", connection))
            {
                limit.Parameters.AddWithValue("ms", ((long)timeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
                await limit.ExecuteScalarAsync(cancellationToken);
            }

            await using (var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
            {
                command.Parameters.AddWithValue("key", Key);
                await command.ExecuteScalarAsync(cancellationToken);
            }

            _connection = connection;
            return this;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            await connection.DisposeAsync();
            throw new ClusterBusyException(
                $"Another node has held the cluster write lock for more than {timeout.TotalSeconds:0} s; nothing was changed, retry.", ex);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
