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

    /// <summary>The SIP/TLS registration of a phone with a secure profile, with its current CTL and config.</summary>
    public Task<SbdServer.Phone.Registration.PhoneRegisterResult> RegisterAsync() => Phone(Cluster.Publisher).RegisterAsync(Ct);

    /// <summary>Settings > Security > Trust List > erase (or a factory reset of the security settings).</summary>
    public void Erase() => EmulatedPhone.Erase(StateDirectory);

    public SbdServer.Phone.Trust.TrustListMenu TrustList() => EmulatedPhone.TrustList(StateDirectory);

    /// <summary>MD5 of the installed ITL file, as the Trust List menu shows it.</summary>
    public string? InstalledItlMd5 => TrustList().Itl?.Md5;

    public void Dispose() => _http.Dispose();

    /// <summary>MD5 of <c>ITLSEP&lt;MAC&gt;.tlv</c> as <paramref name="node"/> serves it now.</summary>
    public Task<string> ServedItlMd5Async(ScenarioNode node) => ServedMd5Async(node, $"ITLSEP{Mac}.tlv");

    /// <summary>MD5 of <c>CTLSEP&lt;MAC&gt;.tlv</c> as <paramref name="node"/> serves it now.</summary>
    public Task<string> ServedCtlMd5Async(ScenarioNode node) => ServedMd5Async(node, $"CTLSEP{Mac}.tlv");

    /// <summary>
    /// Through the node's admin API (the same catalogue as TFTP and HTTP 6970), never over HTTP 6970 itself: a
    /// download of the phone's per-device file there is recorded as the phone's own fetch and would overwrite what
    /// the server's ITL File Status knows about the phone.
    /// </summary>
    private static async Task<string> ServedMd5Async(ScenarioNode node, string name)
    {
        using var admin = node.Client();
        return Convert.ToHexStringLower(MD5.HashData(await admin.GetByteArrayAsync($"/api/files/{name}", Ct)));
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
