using System.Security.Cryptography;
using SbdServer.Phone;
using SbdServer.Phone.Reporting;
using Xunit;

namespace SbdServer.Scenarios.Tests;

/// <summary>
/// One emulated phone (the <c>SbdServer.Phone</c> library, one state directory) of a scenario, booting from a node's
/// TFTP address as DHCP option 150 would name it, and reporting its trust lists to its cluster after each boot.
/// </summary>
public sealed class ScenarioPhone(ScenarioCluster cluster, string stateRoot, string mac, string model = "8861") : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string Mac { get; } = PhoneOptions.NormalizeMac(mac);

    public string Name => "SEP" + Mac;

    public string Model { get; } = model;

    /// <summary>The cluster the phone reports to and whose publisher it boots from by default; a migration moves it.</summary>
    public ScenarioCluster Cluster { get; set; } = cluster;

    public string StateDirectory { get; } = Path.Combine(stateRoot, PhoneOptions.NormalizeMac(mac));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Boots from <paramref name="tftp"/> (the publisher when null).</summary>
    public Task<PhoneBootResult> BootAsync(ScenarioNode? tftp = null) => Phone(tftp ?? Cluster.Publisher).BootAsync(Ct);

    /// <summary>A secure phone-service request with the phone's current trust state.</summary>
    public Task<PhoneHttpsResult> HttpsAsync(string url) => Phone(Cluster.Publisher).HttpsAsync(new Uri(url), Ct);

    /// <summary>Settings > Security > Trust List > erase (or a factory reset of the security settings).</summary>
    public void Erase() => EmulatedPhone.Erase(StateDirectory);

    public SbdServer.Phone.Trust.TrustListMenu TrustList() => EmulatedPhone.TrustList(StateDirectory);

    /// <summary>MD5 of the installed ITL file, as the Trust List menu shows it.</summary>
    public string? InstalledItlMd5 => TrustList().Itl?.Md5;

    public void Dispose() => _http.Dispose();

    /// <summary>MD5 of <c>ITLSEP&lt;MAC&gt;.tlv</c> as <paramref name="node"/> serves it over HTTP 6970 now.</summary>
    public async Task<string> ServedItlMd5Async(ScenarioNode node)
    {
        var bytes = await _http.GetByteArrayAsync($"http://{node.Address}:6970/ITLSEP{Mac}.tlv", Ct);
        return Convert.ToHexStringLower(MD5.HashData(bytes));
    }

    private EmulatedPhone Phone(ScenarioNode tftp) => new(StateDirectory, new PhoneOptions
    {
        Mac = Mac,
        Model = PhoneModel.Get(Model),
        TftpHost = tftp.Address,
        Http = _http,
        Report = new DeviceReportClient(_http, Cluster.Publisher.Api, "admin", ScenarioNode.AdminPassword),
    });
}
