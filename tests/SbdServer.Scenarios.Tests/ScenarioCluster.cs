using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Npgsql;
using SbdServer.Testing;
using SbdServer.Wire.Itl;
using Xunit;

namespace SbdServer.Scenarios.Tests;

/// <summary>
/// A cluster of one to three <see cref="ScenarioNode"/> processes (<c>cucm-pub</c> on <c>127.0.0.{first}</c>, then
/// <c>cucm-sub1</c>, <c>cucm-sub2</c>) sharing one database on the run's real PostgreSQL. Every change goes through
/// the publisher's REST API, as an admin makes it.
/// </summary>
public sealed class ScenarioCluster : IAsyncDisposable
{
    public static readonly string[] NodeNames = ["cucm-pub", "cucm-sub1", "cucm-sub2"];

    private readonly List<ScenarioNode> _nodes = [];

    private ScenarioCluster(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    public IReadOnlyList<ScenarioNode> Nodes => _nodes;

    public ScenarioNode Publisher => _nodes[0];

    public HttpClient Admin { get; private set; } = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Starts <paramref name="nodes"/> nodes on a new database, the publisher first; sets the signer mode.</summary>
    public static async Task<ScenarioCluster> StartAsync(
        int nodes, string signerMode = "ITLRecovery", int firstAddress = 11, string prefix = "", IReadOnlyDictionary<string, string>? extra = null)
    {
        var server = await PostgresServer.RequireAsync();

        // Npgsql's default pooling, as a deployment runs it (the runbook's "PostgreSQL and several nodes").
        var database = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync()) { Pooling = true }.ConnectionString;
        var cluster = new ScenarioCluster(database);
        try
        {
            for (var i = 0; i < nodes; i++)
            {
                cluster._nodes.Add(await ScenarioNode.StartAsync(prefix + NodeNames[i], $"127.0.0.{firstAddress + i}", database, extra, Ct));
            }

            cluster.Admin = cluster.Publisher.Client();
            await cluster.SetParameterAsync("ItlSignerMode", signerMode);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public ScenarioNode Node(string name) => _nodes.Single(n => n.Name == name);

    public async Task SetParameterAsync(string name, string value)
    {
        var response = await Admin.PutAsJsonAsync($"/api/parameters/{name}", new { value }, Ct);
        await EnsureAsync(response, $"{name} = {value}");
        await WaitConvergedAsync();
    }

    /// <summary>Adds a phone (device) in <paramref name="group"/>.</summary>
    public async Task AddDeviceAsync(string mac, string model = "8861", string securityProfile = "NonSecure", string? group = null)
    {
        var body = new Dictionary<string, object?> { ["name"] = "SEP" + mac, ["model"] = model, ["securityProfile"] = securityProfile };
        if (group is not null)
        {
            body["callManagerGroup"] = group;
        }

        await EnsureAsync(await Admin.PostAsJsonAsync("/api/devices", body, Ct), "add SEP" + mac);
        await WaitConvergedAsync();
    }

    /// <summary>Regenerates a certificate through the API, confirming a change the planner calls dangerous.</summary>
    public async Task RegenerateAsync(string node, string certificate)
    {
        await EnsureAsync(await Admin.PostAsync($"/api/nodes/{node}/certificates/{certificate}/regenerate?confirm=true", null, Ct), $"regenerate {node}/{certificate}");
        await WaitConvergedAsync();
    }

    /// <summary>
    /// Tells the cluster its phones fetched the current ITL (<c>POST /api/nodes/{node}/itl/propagated</c> for every
    /// node), as an admin does once phones re-registered; until then the planner counts later changes as made together
    /// with the earlier ones.
    /// </summary>
    public async Task MarkPropagatedAsync()
    {
        foreach (var node in _nodes)
        {
            await EnsureAsync(await Admin.PostAsync($"/api/nodes/{node.Name}/itl/propagated", null, Ct), $"propagated {node.Name}");
        }
    }

    /// <summary>The planner's verdict per device for <paramref name="changes"/> (objects shaped like the API's plan entries).</summary>
    public async Task<IReadOnlyDictionary<string, Verdict>> PlanAsync(params object[] changes)
    {
        var response = await Admin.PostAsJsonAsync("/api/plan", new { changes }, Ct);
        await EnsureAsync(response, "plan");
        return Verdicts(await response.Content.ReadFromJsonAsync<JsonElement>(Ct));
    }

    private static Dictionary<string, Verdict> Verdicts(JsonElement plan) =>
        plan.GetProperty("devices").EnumerateArray().ToDictionary(
            d => d.GetProperty("name").GetString()!,
            d => new Verdict(d.GetProperty("keepsTrust").GetBoolean(), d.GetProperty("reason").GetString()!));

    /// <summary>What <c>POST /api/restore?preview=true</c> says each device would do after restoring <paramref name="archive"/>.</summary>
    public async Task<(IReadOnlyDictionary<string, Verdict> Devices, IReadOnlyList<string> Warnings)> RestorePreviewAsync(
        byte[] archive, string missingKeys = "refuse")
    {
        var response = await Admin.PostAsync($"/api/restore?preview=true&missingKeys={missingKeys}", new ByteArrayContent(archive), Ct);
        await EnsureAsync(response, "restore preview");
        var plan = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return (Verdicts(plan), [.. plan.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!)]);
    }

    public static object Regenerate(string node, string certificate) => new { node, certificate, action = "regenerate" };

    public static object Parameter(string parameter, string value) => new { parameter, value };

    public static object ItlReset(string value) => new { action = "itl-reset", value };

    /// <summary>Bulk export of a node's certificate (PKCS#12 with its key), as "Bulk Certificate Management > Export".</summary>
    public async Task<byte[]> ExportAsync(string node, string certificate, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/nodes/{node}/certificates/{certificate}/export");
        request.Headers.Add("X-Sbd-Password", password);
        var response = await Admin.SendAsync(request, Ct);
        await EnsureAsync(response, $"export {node}/{certificate}");
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    /// <summary>Bulk import of another cluster's exported certificate into the stores phones trust through TVS.</summary>
    public async Task ImportAsync(string certificate, byte[] pkcs12, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/bulk/import/{certificate}") { Content = new ByteArrayContent(pkcs12) };
        request.Headers.Add("X-Sbd-Password", password);
        await EnsureAsync(await Admin.SendAsync(request, Ct), $"import {certificate}");
        await WaitConvergedAsync();
    }

    public async Task<X509Certificate2> CertificateAsync(string node, string name) =>
        X509Certificate2.CreateFromPem(await Admin.GetStringAsync($"/api/nodes/{node}/certificates/{name}/pem", Ct));

    /// <summary>
    /// Waits until every node serves (over HTTP 6970) the ITL the publisher's API builds for it: the other nodes learn
    /// of a change through LISTEN/NOTIFY, and a phone booted before that would see the old file.
    /// </summary>
    public async Task WaitConvergedAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var node in _nodes)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                var expected = await Admin.GetAsync($"/api/files/ITLFile.tlv?node={node.Name}", Ct);
                var served = await http.GetAsync($"http://{node.Address}:6970/ITLFile.tlv", Ct);
                if (expected.IsSuccessStatusCode && served.IsSuccessStatusCode)
                {
                    var want = Body(await expected.Content.ReadAsByteArrayAsync(Ct));
                    var got = Body(await served.Content.ReadAsByteArrayAsync(Ct));
                    if (want.AsSpan().SequenceEqual(got))
                    {
                        break;
                    }
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"{node.Name} did not serve the current ITL within 30 s:\n{node.Output}");
                }

                await Task.Delay(100, Ct);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Admin?.Dispose();
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    /// <summary>The ITL's records with their signer, without the timestamp that differs between builds.</summary>
    private static byte[] Body(byte[] itl)
    {
        var parsed = TrustListCodec.Parse(itl);
        return [.. parsed.Signed.Body.ToArray(), .. parsed.Header.SerialNumber];
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            Assert.Fail($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        }
    }
}

/// <summary>The planner's verdict for one device.</summary>
public sealed record Verdict(bool KeepsTrust, string Reason);
