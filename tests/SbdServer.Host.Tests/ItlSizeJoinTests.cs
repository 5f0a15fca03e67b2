using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SbdServer.Core.CertificateManagement;
using SbdServer.Core.Certificates;
using SbdServer.Core.Cluster;
using SbdServer.Core.Devices;
using SbdServer.Core.Events;
using SbdServer.Core.Provisioning;
using SbdServer.Core.Storage;
using SbdServer.Crypto;
using SbdServer.Crypto.Certificates;
using SbdServer.Host.Composition;
using SbdServer.Persistence.Database;
using SbdServer.Persistence.Stores;
using SbdServer.Testing;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>
/// Scenario 27 on a node join: a cluster whose ITL is one TVS record under the 64 KB phones load, joined by a real
/// host process. The join is audited with the size, the node warns at start (event 3108), the dashboard shows it, and
/// the size the warning names is the length of the ITL the node serves.
/// </summary>
public sealed class ItlSizeJoinTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NodeJoiningPastTheLimit_IsAudited_WarnsAtStart_AndOnTheDashboard_WithTheServedItlsSize()
    {
        var dataDir = DataDirInspector.NewDataDir();
        var database = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, DataDir = dataDir };
        await new SbdDbContextFactory(database).MigrateAsync(Ct);

        // Subscribers join through the real bootstrapper until one more TVS record would pass the limit.
        var sizes = new List<int>();
        for (var i = 0; sizes.Count < 2 || sizes[^1] + (sizes[^1] - sizes[^2]) <= PhoneModel.ItlLimitBytes; i++)
        {
            sizes.Add(await JoinAsync(database, i == 0 ? "cucm-pub" : $"cucm-sub{i:00}"));
            Assert.True(i < 120, $"the ITL did not approach the limit: {string.Join(", ", sizes)}");
        }

        var joining = $"cucm-sub{sizes.Count:00}";
        await using var reader = Services(database, "reader");
        var store = reader.GetRequiredService<ISecurityStore>();
        var state = await store.LoadAsync(Ct);
        Assert.Empty(ItlContent.Oversized(state));

        await using var host = HostProcess.Start(dataDir, new Dictionary<string, string?>
        {
            ["Sbd__Node__Name"] = joining,
            ["Sbd__Node__Fqdn"] = joining + ".lab.example",
            ["Sbd__Node__Address"] = "127.0.0.1",
        });
        Assert.True(await host.WaitHealthyAsync(Ct), host.Output);

        state = await store.LoadAsync(Ct);
        var bytes = ItlContent.EstimatedBytes(state, state.FindNode(joining)!, state.Cluster!.ItlSignerMode);
        var over = ItlContent.Oversized(state);
        Assert.Contains(over, o => o.Node.Name == joining && o.Bytes == bytes);
        Assert.True(bytes > PhoneModel.ItlLimitBytes, $"{bytes}");

        // The size the warnings name is the served file's length.
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.TftpHttpPort}") };
        Assert.Equal(bytes, (await http.GetByteArrayAsync("/ITLFile.tlv", Ct)).Length);

        Assert.Contains($"ITL of {joining} too large for phones ({bytes} bytes): The ITL of {joining} is {bytes} bytes, over the 65536 bytes phones load",
            host.Output, StringComparison.Ordinal);

        using var api = host.Client();
        var audit = await api.GetFromJsonAsync<JsonElement>("/api/audit?max=20", Ct);
        var entry = Assert.Single(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "itl.oversized");
        Assert.Equal(joining, entry.GetProperty("target").GetString());
        var details = entry.GetProperty("details").GetString()!;
        var largest = over.OrderByDescending(o => o.Bytes).ThenBy(o => o.Node.Name, StringComparer.Ordinal).First();
        Assert.StartsWith(
            $"after {joining} joined, {over.Count} TFTP node(s) serve an ITL over the 65536 bytes phones load (bytes, largest first: " +
            $"{largest.Node.Name} {largest.Bytes}, ", details, StringComparison.Ordinal);
        Assert.EndsWith($"). The ITL of {largest.Node.Name} is {largest.Bytes} bytes, over the 65536 bytes phones load (Security Guide 14: " +
            "more than 39 certificates): its phones fail to load it (\"Trust List Update Failed\") and keep the ITL they hold. " +
            "Keep the ITL smaller: fewer TVS or CAPF nodes, or smaller keys.", details, StringComparison.Ordinal);

        using var browser = new AdminSession(host.PhoneServicesPort);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await browser.SignInAsync("admin", HostProcess.AdminPassword)).StatusCode);
        var dashboard = await browser.Http.GetStringAsync("/admin", Ct);
        Assert.Contains($"The ITL of {joining} is {bytes} bytes, over the 65536 bytes phones load", dashboard, StringComparison.Ordinal);
        Assert.Contains($"<td>{joining}</td><td class=\"down\">{bytes}</td><td>65536</td>", dashboard, StringComparison.Ordinal);

        await host.DisposeAsync();
        DataDirInspector.Delete(dataDir);
    }

    [Fact]
    public async Task NodeJoiningUnderTheLimit_WritesNoSizeEntry()
    {
        var dataDir = DataDirInspector.NewDataDir();
        var database = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, DataDir = dataDir };
        await new SbdDbContextFactory(database).MigrateAsync(Ct);
        await JoinAsync(database, "cucm-pub");
        var size = await JoinAsync(database, "cucm-sub01");

        await using var reader = Services(database, "reader");
        var audit = await reader.GetRequiredService<ISecurityStore>().GetAuditAsync(100, Ct);
        Assert.Contains(audit, a => a.Action == "node.join");
        Assert.DoesNotContain(audit, a => a.Action == "itl.oversized");
        Assert.InRange(size, 4000, 10000);
        DataDirInspector.Delete(dataDir);
    }

    /// <summary>
    /// One start of the bootstrapper as node <paramref name="name"/> (a join after the first); returns the largest ITL
    /// of the cluster after it. Keys come from <see cref="CachedKeyFactory"/>: key generation is what makes 85 joins slow.
    /// </summary>
    private static async Task<int> JoinAsync(DatabaseOptions database, string name)
    {
        await using var provider = Services(database, name);
        await provider.GetRequiredService<ClusterBootstrapper>().EnsureAsync(Ct);
        var state = await provider.GetRequiredService<ISecurityStore>().LoadAsync(Ct);
        return ItlContent.TftpNodeSizes(state, state.Cluster!.ItlSignerMode).Max(s => s.Bytes);
    }

    private static ServiceProvider Services(DatabaseOptions database, string name)
    {
        var services = new ServiceCollection();
        services.AddSbdCrypto(o => o.Pbkdf2Iterations = 1000);
        services.AddSingleton<ICertificateFactory>(new CachedKeyFactory(new CertificateFactory()));
        services.AddSingleton(database);
        services.AddSingleton(new LocalNodeOptions { Name = name, Fqdn = name + ".lab.example", Address = "127.0.0.1" });
        services.AddSingleton(new ClusterSecret(HostProcess.SecurityPassword));
        services.AddSingleton(sp => sp.GetRequiredService<IKeyProtectorFactory>().Create(HostProcess.SecurityPassword));
        services.AddSingleton<SbdDbContextFactory>();
        services.AddSingleton<CertificateStoreEventHub>();
        services.AddSingleton<ISecurityStore, EfSecurityStore>();
        services.AddSbdCertificateManagement();
        return services.BuildServiceProvider();
    }

    /// <summary>The product's factory with one cached key per algorithm: the certificates are real, the keys reused.</summary>
    private sealed class CachedKeyFactory(ICertificateFactory inner) : ICertificateFactory
    {
        public CertificateWithKey CreateSelfSigned(CertificateSpec spec, DateTimeOffset notBefore)
        {
            var bits = spec.Key switch
            {
                KeyAlgorithm.Rsa2048 => 2048,
                KeyAlgorithm.Rsa4096 => 4096,
                _ => throw new NotSupportedException($"{spec.Key}: the bootstrapper mints RSA 2048 only."),
            };
            var key = TestPki.RsaKey(bits, "itl-size").ExportPkcs8PrivateKey();
            return new CertificateWithKey(inner.CreateSelfSignedForKey(spec, notBefore, key), key);
        }

        public CertificateWithKey CreateSigned(CertificateSpec spec, DateTimeOffset notBefore, CertificateWithKey issuer) =>
            inner.CreateSigned(spec, notBefore, issuer);

        public byte[] IssueForPublicKey(CertificateSpec spec, byte[] subjectPublicKeyInfo, DateTimeOffset notBefore, CertificateWithKey issuer) =>
            inner.IssueForPublicKey(spec, subjectPublicKeyInfo, notBefore, issuer);

        public byte[] CreateSelfSignedForKey(CertificateSpec spec, DateTimeOffset notBefore, byte[] privateKeyPkcs8) =>
            inner.CreateSelfSignedForKey(spec, notBefore, privateKeyPkcs8);

        public byte[] CreateCsr(CertificateSpec spec, byte[] privateKeyPkcs8) => inner.CreateCsr(spec, privateKeyPkcs8);
    }
}
