using Npgsql;

namespace SbdServer.Testing;

/// <summary>The LISTEN sessions nodes keep on a test database: counted, or ended as a server restart ends them.</summary>
public static class PostgresSessions
{
    private const string Listeners =
        "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN%'";

    /// <summary>Ends every LISTEN session on the database of <paramref name="connectionString"/>; returns how many.</summary>
    public static Task<int> TerminateListenersAsync(string connectionString, CancellationToken cancellationToken) =>
        ScalarAsync(connectionString, $"SELECT count(*) FROM (SELECT pg_terminate_backend(pid) {Listeners}) AS t", cancellationToken);

    public static Task<int> CountListenersAsync(string connectionString, CancellationToken cancellationToken) =>
        ScalarAsync(connectionString, $"SELECT count(*) {Listeners}", cancellationToken);

    private static async Task<int> ScalarAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
