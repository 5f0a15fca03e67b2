using SbdServer.Persistence.Notifications;

namespace SbdServer.Host.Startup;

/// <summary>Keeps the PostgreSQL LISTEN connection for changes made by other nodes (no-op on SQLite).</summary>
internal sealed class ChangeListenerService(PostgresChangeListener listener) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => listener.RunAsync(stoppingToken);
}
