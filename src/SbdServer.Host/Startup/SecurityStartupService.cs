using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Host.Auth;
using SbdServer.Persistence.Database;

namespace SbdServer.Host.Startup;

/// <summary>
/// Runs before the other services: applies migrations (unless <c>Sbd:Database:Migrate=false</c>), then creates or
/// checks the cluster. Any failure (wrong password, unreachable database) stops the host.
/// </summary>
internal sealed class SecurityStartupService(
    SbdDbContextFactory contexts,
    IServiceProvider services,
    LocalNodeOptions local,
    ILogger<SecurityStartupService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Secrets first: whether one may be generated depends on the database not existing yet.
            _ = services.GetRequiredService<ClusterSecret>();
            _ = services.GetService<AdminCredentials>();
            if (contexts.Options.Migrate)
            {
                await contexts.MigrateAsync(cancellationToken);
                var provider = contexts.Options.Provider == DatabaseProvider.Sqlite ? "SQLite" : "PostgreSQL";
                HostLog.Migrated(logger, provider);
            }
            else if ((await contexts.GetPendingMigrationsAsync(cancellationToken)) is { Count: > 0 } pending)
            {
                throw new InvalidOperationException(
                    $"The database schema lacks {pending.Count} migration(s) ({string.Join(", ", pending)}) and " +
                    "Sbd:Database:Migrate is false; apply them or start once with Sbd:Database:Migrate=true.");
            }

            var outcome = await services.GetRequiredService<ClusterBootstrapper>().EnsureAsync(cancellationToken);
            var what = outcome switch
            {
                ClusterBootstrapper.Outcome.ClusterCreated => "cluster created",
                ClusterBootstrapper.Outcome.NodeJoined => "node joined",
                _ => "existing cluster",
            };
            HostLog.SecurityReady(logger, what, local.Name);
        }
        catch (Exception ex) when (ex is WrongPasswordException or CertificateStoreException or InvalidOperationException)
        {
            HostLog.StartRefused(logger, ex.Message);
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
