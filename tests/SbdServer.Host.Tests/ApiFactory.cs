using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>One in-process host on a fresh SQLite data directory, shared by the tests of a class.</summary>
/// <remarks>On the in-memory test server: no sockets, so no HTTPS listener (see <see cref="HttpsApiFactory"/>).</remarks>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly bool _kestrel;
    private readonly bool _ownsDataDir;

    public ApiFactory()
        : this(kestrel: false)
    {
    }

    /// <param name="dataDir">Another node's data directory to share (it stays for its owner to delete).</param>
    protected ApiFactory(bool kestrel, string? dataDir = null)
    {
        _kestrel = kestrel;
        _ownsDataDir = dataDir is null;
        DataDir = dataDir ?? Path.Combine(Path.GetTempPath(), "sbd-host-" + Guid.NewGuid().ToString("N"));
        if (kestrel)
        {
            UseKestrel();
        }
    }

    /// <summary>Extra settings of a test class's node (lockout limits and the like).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    public const string AdminPassword = "admin secret";
    public const string SecurityPassword = "cluster secret";

    public string DataDir { get; }

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
        StartServer();
        return ValueTask.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!_ownsDataDir)
        {
            GC.SuppressFinalize(this);
            return;
        }

        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a unique temp dir per run.
        }

        GC.SuppressFinalize(this);
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
        // Many test classes send wrong passwords on purpose; the lockout and the address limit have tests of their own.
        builder.UseSetting("Sbd:Admin:LockoutThreshold", "1000");
        builder.UseSetting("Sbd:Admin:AddressFailureLimit", "1000000");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        if (_kestrel)
        {
            // The plain admin endpoint (--urls) on a free port too; CreateClient talks to it.
            builder.UseSetting("urls", "http://127.0.0.1:0");
        }
    }
}

/// <summary>
/// An <see cref="ApiFactory"/> on real Kestrel sockets: the node's HTTPS listener (tomcat certificate, phone routes,
/// REST API, /admin) on a free port, and the plain --urls endpoint <see cref="WebApplicationFactory{T}.CreateClient()"/> uses.
/// </summary>
public class HttpsApiFactory : ApiFactory
{
    public HttpsApiFactory()
        : base(kestrel: true)
    {
    }

    /// <summary>A second node on <paramref name="dataDir"/>: the same cluster state, its own process state.</summary>
    internal HttpsApiFactory(string dataDir)
        : base(kestrel: true, dataDir)
    {
    }

    /// <summary>The bound HTTPS port of the node's listener.</summary>
    public int HttpsPort => Services.GetRequiredService<SbdServer.PhoneServices.PhoneServicesListener>().LocalEndPoint!.Port;
}
