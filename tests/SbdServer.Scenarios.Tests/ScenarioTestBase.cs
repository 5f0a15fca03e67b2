using Xunit;

namespace SbdServer.Scenarios.Tests;

/// <summary>A scenario's cluster(s) and phones, all stopped and removed after the test.</summary>
public abstract class ScenarioTestBase : IAsyncLifetime
{
    private readonly List<ScenarioCluster> _clusters = [];
    private readonly List<ScenarioPhone> _phones = [];
    private readonly string _phoneRoot = Directory.CreateTempSubdirectory("sbd-scenario-phones-").FullName;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var phone in _phones)
        {
            phone.Dispose();
        }

        foreach (var cluster in _clusters)
        {
            await cluster.DisposeAsync();
        }

        Directory.Delete(_phoneRoot, recursive: true);
        GC.SuppressFinalize(this);
    }

    protected async Task<ScenarioCluster> ClusterAsync(
        int nodes, string signerMode, int firstAddress = 11, string prefix = "", IReadOnlyDictionary<string, string>? extra = null)
    {
        var cluster = await ScenarioCluster.StartAsync(nodes, signerMode, firstAddress, prefix, extra);
        _clusters.Add(cluster);
        return cluster;
    }

    /// <summary>A phone known to <paramref name="cluster"/> (a device with its MAC), unless <paramref name="register"/> is false.</summary>
    protected async Task<ScenarioPhone> PhoneAsync(ScenarioCluster cluster, string mac, string model = "8861", bool register = true)
    {
        if (register)
        {
            await cluster.AddDeviceAsync(mac, model);
        }

        var phone = new ScenarioPhone(cluster, _phoneRoot, mac, model);
        _phones.Add(phone);
        return phone;
    }
}
