using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SbdServer.Core.Backup;
using SbdServer.Core.CertificateManagement;
using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.DeviceManagement;
using SbdServer.Core.Devices;
using SbdServer.Core.Events;
using SbdServer.Core.Storage;
using SbdServer.Crypto;
using SbdServer.Persistence.Database;
using SbdServer.Persistence.Notifications;
using SbdServer.Persistence.Stores;

namespace SbdServer.Persistence.Tests;

/// <summary>One "service instance" over a database: the real store, crypto and use cases, wired as the host does.</summary>
internal sealed class SecurityHarness : IDisposable
{
    public const string Password = "correct horse battery staple";

    private readonly ServiceProvider _services;

    private SecurityHarness(ServiceProvider services) => _services = services;

    public DatabaseOptions Database => Get<DatabaseOptions>();

    public ISecurityStore Store => Get<ISecurityStore>();

    public CertificateStoreEventHub Events => Get<CertificateStoreEventHub>();

    public CertificateQueries Queries => Get<CertificateQueries>();

    public CertificateRegeneration Regeneration => Get<CertificateRegeneration>();

    public CertificateSigningRequests Csrs => Get<CertificateSigningRequests>();

    public TrustStoreUploads Trust => Get<TrustStoreUploads>();

    public BulkCertificates Bulk => Get<BulkCertificates>();

    public NodeHostChange Hosts => Get<NodeHostChange>();

    public ItlResets Itl => Get<ItlResets>();

    public EnterpriseParameters Parameters => Get<EnterpriseParameters>();

    public CtlUpdates Ctl => Get<CtlUpdates>();

    public ClusterBootstrapper Bootstrapper => Get<ClusterBootstrapper>();

    public BackupService Backups => Get<BackupService>();

    public IKeyProtector Keys => Get<IKeyProtector>();

    public ICertificateInspector Inspector => Get<ICertificateInspector>();

    public ICertificateFactory Factory => Get<ICertificateFactory>();

    public ICertificateCodec Codec => Get<ICertificateCodec>();

    public PostgresChangeListener Listener => Get<PostgresChangeListener>();

    public SbdDbContextFactory Contexts => Get<SbdDbContextFactory>();

    public static SecurityHarness Create(DatabaseOptions database, string password = Password, string node = "pub", string? hostAddress = null)
    {
        var services = new ServiceCollection();
        services.AddSbdCrypto(o => o.Pbkdf2Iterations = 1000);
        services.AddSingleton(database);
        services.AddSingleton(new LocalNodeOptions
        {
            Name = node,
            Fqdn = node + ".lab.example",
            Address = "10.0.0.1",
            HostAddress = hostAddress,
            Organization = "Cisco",
            OrganizationalUnit = "TAC",
        });
        services.AddSingleton(new ClusterSecret(password));
        services.AddSingleton(sp => sp.GetRequiredService<IKeyProtectorFactory>().Create(password));
        services.AddSingleton<SbdDbContextFactory>();
        services.AddSingleton<CertificateStoreEventHub>();
        services.AddSingleton<ISecurityStore, EfSecurityStore>();
        services.AddSingleton<ILogger<PostgresChangeListener>>(NullLogger<PostgresChangeListener>.Instance);
        services.AddSingleton<PostgresChangeListener>();
        foreach (var type in CertificateManagementServices.Singletons)
        {
            services.AddSingleton(type);
        }

        services.AddSingleton<BackupService>();
        services.AddSingleton<IDeviceStore, EfDeviceStore>();
        services.AddSingleton<DeviceManager>();
        return new SecurityHarness(services.BuildServiceProvider());
    }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>A use case of this instance built with some of its ports replaced (race hooks).</summary>
    public T Create<T>(params object[] replacements) => ActivatorUtilities.CreateInstance<T>(_services, replacements);

    public byte[] OpenKey(IdentityCertificate identity) => Keys.Unprotect(identity.ProtectedKey);

    public void Dispose() => _services.Dispose();
}
