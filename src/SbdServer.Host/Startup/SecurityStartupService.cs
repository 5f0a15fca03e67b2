using System.Data.Common;
using System.Net.Sockets;
using Npgsql;
using SbdServer.Core.CertificateManagement;
using SbdServer.Core.Cluster;
using SbdServer.Host.Auth;
using SbdServer.Persistence.Database;

namespace SbdServer.Host.Startup;

/// <summary>
/// Runs before the other services: applies migrations (unless <c>Sbd:Database:Migrate=false</c>), then creates or
/// checks the cluster. Any failure (wrong password, unreachable database) stops the host; Program turns it into one
/// refusal line and an exit code (<see cref="StartRefusal"/>).
/// </summary>
internal sealed class SecurityStartupService(
    SbdDbContextFactory contexts,
    IServiceProvider services,
    LocalNodeOptions local,
    StartupState state,
    ILogger<SecurityStartupService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Secrets first: whether one may be generated depends on the database not existing yet.
        _ = services.GetRequiredService<ClusterSecret>();
        _ = services.GetService<AdminCredentials>();
        await WithDatabaseRetryAsync(MigrateAsync, cancellationToken);

        var outcome = await WithDatabaseRetryAsync(
            ct => services.GetRequiredService<ClusterBootstrapper>().EnsureAsync(ct), cancellationToken);
        var what = outcome switch
        {
            ClusterBootstrapper.Outcome.ClusterCreated => "cluster created",
            ClusterBootstrapper.Outcome.NodeJoined => "node joined",
            _ => "existing cluster",
        };
        state.MarkSecurityReady();
        HostLog.SecurityReady(logger, what, local.Name);

        // Scenario 27: said at every start while it lasts (not only on the join that caused it), since phones keep
        // failing to load the ITL until an admin makes it smaller.
        var sizes = await WithDatabaseRetryAsync(
            ct => services.GetRequiredService<CertificateQueries>().GetItlSizesAsync(ct), cancellationToken);
        foreach (var size in sizes.Where(s => s.Warning is not null))
        {
            HostLog.ItlOversized(logger, size.Node, size.Bytes, size.Warning!);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<bool> MigrateAsync(CancellationToken cancellationToken)
    {
        if (contexts.Options.Migrate)
        {
            await contexts.MigrateAsync(cancellationToken);
            var provider = contexts.Options.Provider == DatabaseProvider.Sqlite ? "SQLite" : "PostgreSQL";
            HostLog.Migrated(logger, provider);
        }
        else if ((await contexts.GetPendingMigrationsAsync(cancellationToken)) is { Count: > 0 } pending)
        {
            throw new StartupConfigurationException(
                "Sbd:Database:Migrate",
                $"The database schema lacks {pending.Count} migration(s) ({string.Join(", ", pending)}) and " +
                "Sbd:Database:Migrate is false; apply them or start once with Sbd:Database:Migrate=true.");
        }

        return true;
    }

    /// <summary>
    /// A database that is still starting (a compose stack, a rebooted server) gets a bounded number of retries; one
    /// that refuses for good (password, unknown database, unreadable SQLite file) is reported at once.
    /// </summary>
    private async Task<T> WithDatabaseRetryAsync<T>(Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(contexts.Options.StartTimeoutSeconds);
        DateTime? deadline = null; // counted from the first failure: a slow first connection attempt is not an outage
        var delay = TimeSpan.FromMilliseconds(500);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action(cancellationToken);
            }
            catch (Exception ex) when (IsDatabaseFailure(ex))
            {
                deadline ??= DateTime.UtcNow + timeout;
                if (!IsTransient(ex) || DateTime.UtcNow + delay > deadline)
                {
                    throw Unavailable(ex, attempt, timeout);
                }

                HostLog.DatabaseRetry(logger, attempt, delay.TotalSeconds, Describe(ex));
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private DatabaseUnavailableException Unavailable(Exception ex, int attempts, TimeSpan timeout)
    {
        if (contexts.Options.Provider == DatabaseProvider.Sqlite)
        {
            return new DatabaseUnavailableException(
                "Sbd:DataDir",
                $"The SQLite database under Sbd:DataDir cannot be used: {Describe(ex)}. Fix: make the data directory "
                + "writable by this user, or set Sbd:DataDir.", ex);
        }

        var target = new NpgsqlConnectionStringBuilder(contexts.Options.ConnectionString ?? "");
        var where = $"{target.Host ?? "?"}:{target.Port}/{target.Database ?? "?"} as {target.Username ?? "?"}";
        return IsTransient(ex)
            ? new DatabaseUnavailableException(
                "ConnectionStrings:Sbd",
                $"PostgreSQL at {where} is unreachable ({Describe(ex)}), {attempts} attempt(s) in {timeout.TotalSeconds:0} s. "
                + "Fix: start the database, or correct ConnectionStrings:Sbd (environment ConnectionStrings__Sbd); "
                + "Sbd:Database:StartTimeoutSeconds sets how long a start waits.", ex)
            : new DatabaseUnavailableException(
                "ConnectionStrings:Sbd",
                $"PostgreSQL at {where} refused the connection: {Describe(ex)}. Fix: correct ConnectionStrings:Sbd "
                + "(environment ConnectionStrings__Sbd).", ex);
    }

    private static bool IsDatabaseFailure(Exception ex) =>
        ex is DbException or SocketException or TimeoutException
        || ex.InnerException is DbException or SocketException or TimeoutException;

    private static bool IsTransient(Exception ex) => ex switch
    {
        PostgresException postgres => postgres.IsTransient || postgres.SqlState is "57P03", // the server is starting up
        NpgsqlException npgsql => npgsql.IsTransient,
        SocketException or TimeoutException => true,
        _ => ex.InnerException is { } inner && IsTransient(inner),
    };

    /// <summary>The cause in one line (Npgsql nests the socket error; a password never appears in these messages).</summary>
    private static string Describe(Exception ex)
    {
        var innermost = ex;
        while (innermost.InnerException is { } inner && innermost is not PostgresException)
        {
            innermost = inner;
        }

        return innermost is PostgresException postgres ? $"{postgres.SqlState}: {postgres.MessageText}" : innermost.Message;
    }
}
