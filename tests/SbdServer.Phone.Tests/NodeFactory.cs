using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SbdServer.Phone;
using SbdServer.Phone.Net;
using SbdServer.PhoneServices;
using SbdServer.Tftp;
using SbdServer.Tftp.Http;
using SbdServer.Tvs;
using Xunit;

namespace SbdServer.Phone.Tests;

/// <summary>
/// One real node in process (SQLite, fresh data directory) with TFTP, HTTP 6970, TVS and phone services on free
/// loopback ports. The configs it serves name the node <c>cucm-pub.lab.example</c> on the standard ports, so
/// <see cref="Resolve"/> maps those to the ports bound here, as <c>--resolve</c> does on the command line.
/// </summary>
public class NodeFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>On real sockets: phone services are an endpoint of the host's Kestrel, absent under a test server.</summary>
    public NodeFactory() => UseKestrel();

    public const string AdminPassword = "phone tests admin";
    public const string Fqdn = "cucm-pub.lab.example";

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "sbd-phone-node-" + Guid.NewGuid().ToString("N"));

    public int TftpPort => Services.GetRequiredService<TftpServerService>().LocalEndPoint!.Port;

    public int HttpPort => Services.GetRequiredService<TftpHttpService>().LocalEndPoint!.Port;

    public int TvsPort => Services.GetRequiredService<TvsHostedService>().Server!.LocalEndPoint.Port;

    public int CapfPort => Services.GetRequiredService<SbdServer.Capf.CapfHostedService>().Server!.LocalEndPoint.Port;

    public int ServicesPort => Services.GetRequiredService<PhoneServicesListener>().LocalEndPoint!.Port;

    /// <summary>The node's names and standard ports mapped to what it bound (the TFTP address is TVS of last resort).</summary>
    public string[] Resolve =>
    [
        $"{Fqdn}:2445=127.0.0.1:{TvsPort}",
        $"127.0.0.1:2445=127.0.0.1:{TvsPort}",
        $"{Fqdn}:8443=127.0.0.1:{ServicesPort}",
        $"{Fqdn}=127.0.0.1",
    ];

    public PhoneOptions Phone(string mac, string model = "8861", bool tftpOnly = false) => new()
    {
        Mac = mac,
        Model = PhoneModel.Get(model),
        TftpHost = "127.0.0.1",
        TftpPort = TftpPort,
        HttpPort = tftpOnly ? null : HttpPort,
        Resolver = PhoneResolver.Parse(Resolve),
    };

    /// <summary>The plain admin endpoint (--urls) the node bound, for a CLI run in another process.</summary>
    public Uri ApiAddress
    {
        get
        {
            using var client = CreateClient();
            return client.BaseAddress!;
        }
    }

    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{AdminPassword}")));
        return client;
    }

    public async Task CreateDeviceAsync(string name, string model = "8861")
    {
        using var admin = Admin();
        using var response = await admin.PostAsJsonAsync("/api/devices", new { name, model }, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public async Task SetParameterAsync(string name, string value)
    {
        using var admin = Admin();
        using var response = await admin.PutAsJsonAsync($"/api/parameters/{name}?confirm=true", new { value }, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public async Task RegenerateAsync(string certificate)
    {
        using var admin = Admin();
        using var response = await admin.PostAsync(
            $"/api/nodes/cucm-pub/certificates/{certificate}/regenerate?confirm=true", null, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public async Task<byte[]> ServedAsync(string name)
    {
        using var admin = Admin();
        return await admin.GetByteArrayAsync("/api/files/" + name, TestContext.Current.CancellationToken);
    }

    public async ValueTask InitializeAsync()
    {
        StartServer(); // first start: cluster, node, certificates
        await OnStartedAsync();
    }

    /// <summary>Arrangement a fixture needs once the node runs (signer mode, devices).</summary>
    protected virtual Task OnStartedAsync() => Task.CompletedTask;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a unique temp directory
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Serilog:MinimumLevel:Default", "Error");
        builder.UseSetting("Sbd:DataDir", DataDir);
        builder.UseSetting("Sbd:Cluster:SecurityPassword", "phone tests cluster secret");
        builder.UseSetting("Sbd:Admin:Password", AdminPassword);
        builder.UseSetting("Sbd:Security:Pbkdf2Iterations", "1000");
        builder.UseSetting("Sbd:Node:Name", "cucm-pub");
        builder.UseSetting("Sbd:Node:Fqdn", Fqdn);
        builder.UseSetting("Sbd:Node:Address", "127.0.0.1");
        builder.UseSetting("Tftp:Address", "127.0.0.1");
        builder.UseSetting("Tftp:Port", "0");
        builder.UseSetting("Tftp:HttpPort", "0");
        builder.UseSetting("Tvs:Address", "127.0.0.1");
        builder.UseSetting("Tvs:Port", "0");
        builder.UseSetting("PhoneServices:Address", "127.0.0.1");
        builder.UseSetting("PhoneServices:Port", "0");
        builder.UseSetting("Capf:Address", "127.0.0.1");
        builder.UseSetting("Capf:Port", "0");
        builder.UseSetting("urls", "http://127.0.0.1:0"); // the plain admin endpoint CreateClient uses
    }
}
