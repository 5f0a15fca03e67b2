using Microsoft.Extensions.Options;
using SbdServer.Core.Audit;
using SbdServer.Core.Backup;
using SbdServer.Core.Certificates;
using SbdServer.Core.Cluster;
using SbdServer.Core.Events;
using SbdServer.Core.Storage;
using SbdServer.Crypto;
using SbdServer.Crypto.Keys;
using SbdServer.Host.Startup;
using SbdServer.Persistence.Database;
using SbdServer.Persistence.Notifications;
using SbdServer.Persistence.Stores;

namespace SbdServer.Host.Composition;

/// <summary>
/// The security state: database (SQLite under <c>Sbd:DataDir</c> or PostgreSQL), keys sealed under
/// <c>Sbd:Cluster:SecurityPassword</c>, certificate use cases, change events, and the start-up that creates or
/// checks the cluster. Configuration keys are documented in docs/runbook.md.
/// </summary>
internal static class PersistenceRegistration
{
    /// <summary>A secret, not an option: read with the secret-file fallback of a first SQLite start (<see cref="SecretFiles"/>).</summary>
    private const string SecurityPasswordKey = "Sbd:Cluster:SecurityPassword";

    public static WebApplicationBuilder AddSbdPersistence(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSbdCrypto();

        // Bound from the service provider's configuration when first resolved (test hosts override settings after
        // Program has run), validated at start; the plain types stay injectable for the projects that take them.
        services.AddOptions<KeyProtectionOptions>()
            .BindConfiguration(KeyProtectionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<KeyProtectionOptions>>().Value);
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.ConnectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
                if (configuration[DatabaseOptions.DataDirKey] is { Length: > 0 } dataDir)
                {
                    options.DataDir = dataDir;
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value);
        services.AddOptions<LocalNodeOptions>()
            .BindConfiguration(LocalNodeOptions.Section)
            .BindConfiguration(LocalNodeOptions.CertificatesSection)
            .Configure<IConfiguration>((options, configuration) =>
            {
                if (configuration[LocalNodeOptions.ClusterNameKey] is { Length: > 0 } clusterName)
                {
                    options.ClusterName = clusterName;
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<LocalNodeOptions>>().Value);
        services.AddSingleton(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            var database = sp.GetRequiredService<DatabaseOptions>();
            var password = SecretFiles.Resolve(
                configuration[SecurityPasswordKey], SecurityPasswordKey, "cluster-security-password",
                database.DataDir, IsFreshSqlite(database), sp.GetRequiredService<ILogger<ClusterSecret>>());
            return new ClusterSecret(password);
        });
        services.AddSingleton(sp => sp.GetRequiredService<IKeyProtectorFactory>()
            .Create(sp.GetRequiredService<ClusterSecret>().SecurityPassword));

        services.AddSingleton<SbdDbContextFactory>();
        services.AddSingleton<CertificateStoreEventHub>();
        services.AddSingleton<ICertificateStoreEvents>(sp => sp.GetRequiredService<CertificateStoreEventHub>());
        services.AddSingleton<ISecurityStore, EfSecurityStore>();
        services.AddSingleton<IAuditLog, EfAuditLog>();
        services.AddSingleton<PostgresChangeListener>();
        services.AddSbdCertificateManagement();
        services.AddSingleton<BackupService>();
        services.AddSingleton<StartupState>();

        // Registered before every other hosted service: TFTP and TVS must not start without the security state.
        services.AddHostedService<SecurityStartupService>();
        services.AddHostedService<ChangeListenerService>();
        return builder;
    }

    private static bool IsFreshSqlite(DatabaseOptions database) =>
        database.Provider == DatabaseProvider.Sqlite
        && string.IsNullOrWhiteSpace(database.ConnectionString)
        && !File.Exists(Path.Combine(Path.GetFullPath(database.DataDir), "sbd.db"));
}
