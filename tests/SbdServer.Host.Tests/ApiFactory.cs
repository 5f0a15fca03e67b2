using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>One in-process host on a fresh SQLite data directory, shared by the tests of a class.</summary>
public sealed class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminPassword = "admin secret";
    public const string SecurityPassword = "cluster secret";

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "sbd-host-" + Guid.NewGuid().ToString("N"));

    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = Basic("admin", AdminPassword);
        return client;
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public ValueTask InitializeAsync()
    {
        // Starting the server runs the first start (cluster, node, certificates).
        _ = Server;
        return ValueTask.CompletedTask;
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
        builder.UseSetting("Sbd:Cluster:SecurityPassword", SecurityPassword);
        builder.UseSetting("Sbd:Admin:Password", AdminPassword);
        builder.UseSetting("Sbd:Security:Pbkdf2Iterations", "1000");
        builder.UseSetting("Sbd:Node:Name", "cucm-pub");
        builder.UseSetting("Sbd:Node:Fqdn", "cucm-pub.lab.example");
        builder.UseSetting("Sbd:Node:Address", "10.0.0.10");
        builder.UseSetting("Tftp:Port", "0"); // TFTP and HTTP 6970 on free ports: factories run in parallel
        builder.UseSetting("Tftp:HttpPort", "0");
        builder.UseSetting("Tvs:Address", "127.0.0.1");
        builder.UseSetting("Tvs:Port", "0");
        builder.UseSetting("PhoneServices:Address", "127.0.0.1");
        builder.UseSetting("PhoneServices:Port", "0");
        builder.UseSetting("Capf:Address", "127.0.0.1");
        builder.UseSetting("Capf:Port", "0");
        builder.UseSetting("Capf:ReadTimeout", "00:00:02");
        builder.UseSetting("Capf:MaxConnectionsPerIp", "8");
    }
}
