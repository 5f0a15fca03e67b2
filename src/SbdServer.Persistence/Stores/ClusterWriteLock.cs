using System.Data;
using System.Data.Common;
using System.Globalization;
using Npgsql;
using SbdServer.Core.Errors;

namespace SbdServer.Persistence.Stores;

/// <summary>
/// The cluster-wide write lock on PostgreSQL: a session-level advisory lock on a connection of its own, held for
/// one load-decide-commit unit. PostgreSQL drops it with the connection, so a node killed mid-unit never leaves
/// the cluster locked. The unit's commit runs on the same connection: if the session died (and another node may have
/// taken the lock and written since), the commit fails instead of writing. Commits outside a unit take the same key
/// transaction-scoped instead (<see cref="EfSecurityStore"/>), so every write in the database is serialised on one key.
/// </summary>
internal sealed class ClusterWriteLock : WriteUnit
{
    /// <summary>Advisory lock key ("SBDWRITE" in ASCII); advisory keys are per database, so clusters do not collide.</summary>
    public const long Key = 0x5342_4457_5249_5445;

    private ClusterWriteLock(object owner)
        : base(owner)
    {
    }

    /// <summary>Not async on purpose: the unit is registered in the caller's execution context before the first await.</summary>
    public static Task<IAsyncDisposable> AcquireAsync(
        object owner, string connectionString, TimeSpan timeout, CancellationToken cancellationToken) =>
        new ClusterWriteLock(owner).LockAsync(connectionString, timeout, cancellationToken);

    public override async Task<T> CommitAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)(Connection ?? throw Lost(null));
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var result = await write(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (Exception ex) when (connection.FullState != ConnectionState.Open && ex is not OperationCanceledException)
        {
            // A client learns of a dropped session only on its next command: that command was this commit.
            throw Lost(ex);
        }
    }

    protected override async ValueTask ReleaseAsync(DbConnection connection)
    {
        try
        {
            if (connection.State == ConnectionState.Open)
            {
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", (NpgsqlConnection)connection);
                unlock.Parameters.AddWithValue("key", Key);
                await unlock.ExecuteScalarAsync(CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
        {
            // Closing the connection below releases a session lock as well.
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }

    private static ClusterBusyException Lost(Exception? cause) =>
        new("The connection holding the cluster write lock was lost before the commit; nothing was changed, retry.", cause);

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
                limit.Parameters.AddWithValue("ms", ((long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
                await limit.ExecuteScalarAsync(cancellationToken);
            }

            await using (var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
            {
                command.Parameters.AddWithValue("key", Key);
                await command.ExecuteScalarAsync(cancellationToken);
            }

            // The unit's own commits must not give up after the lock wait's limit.
            await using (var reset = new NpgsqlCommand("SELECT set_config('lock_timeout', '0', false)", connection))
            {
                await reset.ExecuteScalarAsync(cancellationToken);
            }

            Connection = connection;
            return this;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            await connection.DisposeAsync();
            throw new ClusterBusyException(
                $"Another node has held the cluster write lock for more than {timeout.TotalSeconds:0.#} s; nothing was changed, retry.", ex);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
