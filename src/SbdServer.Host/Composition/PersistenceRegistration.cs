using System.ComponentModel.DataAnnotations;
using SbdServer.Core.Audit;
using SbdServer.Core.Backup;
using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
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
    public static WebApplicationBuilder AddSbdPersistence(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSbdCrypto();

        // Replaces the default options so the PBKDF2 cost comes from configuration (tests lower it).
        services.AddSingleton(sp => ReadKeyProtection(sp.GetRequiredService<IConfiguration>()));

        // Bound when first resolved, so test hosts can override configuration after Program has run.
        services.AddSingleton(sp => ReadDatabaseOptions(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => ReadLocalNode(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            var database = sp.GetRequiredService<DatabaseOptions>();
            var password = SecretFiles.Resolve(
                configuration, "Sbd:Cluster:SecurityPassword", "cluster-security-password", database.DataDir,
                IsFreshSqlite(database), sp.GetRequiredService<ILogger<ClusterSecret>>());
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
        services.AddSingleton<CertificateManager>();
        services.AddSingleton<ClusterBootstrapper>();
        services.AddSingleton<BackupService>();
        services.AddSingleton<StartupState>();

        // Registered before every other hosted service: TFTP and TVS must not start without the security state.
        services.AddHostedService<SecurityStartupService>();
        services.AddHostedService<ChangeListenerService>();
        return builder;
    }

    private static DatabaseOptions ReadDatabaseOptions(IConfiguration configuration)
    {
        var providerText = configuration["Sbd:Database:Provider"];
        var provider = DatabaseProvider.Sqlite;
        if (!string.IsNullOrWhiteSpace(providerText) && !Enum.TryParse(providerText, ignoreCase: true, out provider))
        {
            throw new StartupConfigurationException("Sbd:Database:Provider", $"Sbd:Database:Provider must be Sqlite or Postgres, not '{providerText}'.");
        }

        var migrateText = configuration["Sbd:Database:Migrate"];
        var migrate = true;
        if (!string.IsNullOrWhiteSpace(migrateText) && !bool.TryParse(migrateText, out migrate))
        {
            throw new StartupConfigurationException("Sbd:Database:Migrate", $"Sbd:Database:Migrate must be true or false, not '{migrateText}'.");
        }

        return new DatabaseOptions
        {
            Provider = provider,
            ConnectionString = configuration.GetConnectionString("Sbd"),
            DataDir = configuration["Sbd:DataDir"] is { Length: > 0 } dir ? dir : "data",
            Migrate = migrate,
        };
    }

    private static KeyProtectionOptions ReadKeyProtection(IConfiguration configuration)
    {
        var options = new KeyProtectionOptions();
        if (configuration["Sbd:Security:Pbkdf2Iterations"] is { Length: > 0 } text)
        {
            if (!int.TryParse(text, out var iterations) || iterations is < 1 or > KeyProtectionOptions.MaxIterations)
            {
                throw new StartupConfigurationException(
                    "Sbd:Security:Pbkdf2Iterations",
                    $"Sbd:Security:Pbkdf2Iterations must be 1 to {KeyProtectionOptions.MaxIterations}, not '{text}'.");
            }

            options.Pbkdf2Iterations = iterations;
        }

        return options;
    }

    private static LocalNodeOptions ReadLocalNode(IConfiguration configuration)
    {
        var options = new LocalNodeOptions();
        configuration.GetSection("Sbd:Node").Bind(options);
        configuration.GetSection("Sbd:Certificates").Bind(options);
        if (configuration["Sbd:Cluster:Name"] is { Length: > 0 } clusterName)
        {
            options.ClusterName = clusterName;
        }

        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            // The messages start with the key they are about ("Sbd:Node:Address must be ...").
            var first = results[0].ErrorMessage ?? "";
            throw new StartupConfigurationException(
                first.StartsWith("Sbd:", StringComparison.Ordinal) ? first.Split(' ')[0] : "Sbd:Node",
                string.Join(" ", results.Select(r => r.ErrorMessage)));
        }

        return options;
    }

    private static bool IsFreshSqlite(DatabaseOptions database) =>
        database.Provider == DatabaseProvider.Sqlite
        && string.IsNullOrWhiteSpace(database.ConnectionString)
        && !File.Exists(Path.Combine(Path.GetFullPath(database.DataDir), "sbd.db"));
}
