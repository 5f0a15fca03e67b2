using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SbdServer.Core.CertificateManagement;
using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Events;
using SbdServer.Core.Storage;
using SbdServer.Crypto;
using SbdServer.Host.Composition;
using SbdServer.Persistence.Database;
using SbdServer.Persistence.Stores;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>
/// A host on a SQLite cluster of three nodes (<c>cucm-pub</c>, <c>cucm-sub1</c>, <c>cucm-sub2</c>, all in group
/// <c>Default</c>, each with its own certificates), created by the real bootstrapper before the host starts; the host
/// runs as the publisher with TFTP on a free loopback port.
/// </summary>
public sealed class ClusterFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public static readonly string[] NodeNames = ["cucm-pub", "cucm-sub1", "cucm-sub2"];

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "sbd-cluster-" + Guid.NewGuid().ToString("N"));

    /// <summary>Static TFTP root: <c>RingList.xml</c> and an already signed <c>firmware.sgn</c>.</summary>
    public string TftpRoot => Path.Combine(DataDir, "tftp");

    public static byte[] RingList { get; } = "<CiscoIPPhoneRingList><Ring><DisplayName>Chirp</DisplayName></Ring></CiscoIPPhoneRingList>\n"u8.ToArray();

    public static byte[] Firmware { get; } = [.. Enumerable.Range(0, 3000).Select(i => (byte)i)];

    public DatabaseOptions Database => new() { Provider = DatabaseProvider.Sqlite, DataDir = DataDir };

    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = ApiFactory.Basic("admin", ApiFactory.AdminPassword);
        return client;
    }

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(TftpRoot);
        await File.WriteAllBytesAsync(Path.Combine(TftpRoot, "RingList.xml"), RingList);
        await File.WriteAllBytesAsync(Path.Combine(TftpRoot, "firmware.sgn"), Firmware);
        await new SbdDbContextFactory(Database).MigrateAsync(CancellationToken.None);
        for (var i = 0; i < NodeNames.Length; i++)
        {
            var services = new ServiceCollection();
            services.AddSbdCrypto(o => o.Pbkdf2Iterations = 1000);
            services.AddSingleton(Database);
            services.AddSingleton(new LocalNodeOptions { Name = NodeNames[i], Fqdn = NodeNames[i] + ".lab.example", Address = $"10.0.0.{10 + i}" });
            services.AddSingleton(new ClusterSecret(ApiFactory.SecurityPassword));
            services.AddSingleton(sp => sp.GetRequiredService<IKeyProtectorFactory>().Create(ApiFactory.SecurityPassword));
            services.AddSingleton<SbdDbContextFactory>();
            services.AddSingleton<CertificateStoreEventHub>();
            services.AddSingleton<ISecurityStore, EfSecurityStore>();
            services.AddSbdCertificateManagement();
            await using var provider = services.BuildServiceProvider();
            await provider.GetRequiredService<ClusterBootstrapper>().EnsureAsync(CancellationToken.None);
        }

        _ = Server;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a unique temp dir per run.
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Serilog:MinimumLevel:Default", "Error");
        builder.UseSetting("Sbd:DataDir", DataDir);
        builder.UseSetting("Sbd:Cluster:SecurityPassword", ApiFactory.SecurityPassword);
        builder.UseSetting("Sbd:Admin:Password", ApiFactory.AdminPassword);
        builder.UseSetting("Sbd:Security:Pbkdf2Iterations", "1000");
        builder.UseSetting("Sbd:Node:Name", NodeNames[0]);
        builder.UseSetting("Sbd:Node:Fqdn", NodeNames[0] + ".lab.example");
        builder.UseSetting("Sbd:Node:Address", "10.0.0.10");
        builder.UseSetting("Tftp:Address", "127.0.0.1");
        builder.UseSetting("Tftp:Root", TftpRoot);
        builder.UseSetting("Tftp:Port", "0");
        builder.UseSetting("Tftp:HttpPort", "0");
        builder.UseSetting("Tvs:Enabled", "false");
        builder.UseSetting("PhoneServices:Address", "127.0.0.1");
        builder.UseSetting("PhoneServices:Port", "0");
        builder.UseSetting("Capf:Address", "127.0.0.1");
        builder.UseSetting("Capf:Port", "0");
    }
}
