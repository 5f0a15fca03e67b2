using System.Security.Cryptography;
using System.Text.Json;
using SbdServer.Phone.Net;
using SbdServer.Testing;
using Xunit;

namespace SbdServer.Phone.Tests;

/// <summary>Phones booting against a real node in CallManager signer mode (pre-12 signing: one key for all files).</summary>
public sealed class PhoneBootTests(PhoneBootTests.CallManagerNode node) : IClassFixture<PhoneBootTests.CallManagerNode>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sbd-phone-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed class CallManagerNode : NodeFactory
    {
        protected override async Task OnStartedAsync()
        {
            await SetParameterAsync("ItlSignerMode", "CallManager");
            await SetParameterAsync("AutoRegistration", "True"); // XMLDefault.cnf.xml for unknown phones
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("0A1B2C000001", false)]
    [InlineData("0A1B2C000002", true)]
    public async Task FirstBoot_InstallsTheServedItl_AndAcceptsTheSignedConfig(string mac, bool tftpOnly)
    {
        await node.CreateDeviceAsync("SEP" + mac);
        var phone = new EmulatedPhone(Path.Combine(_root, mac), node.Phone(mac, tftpOnly: tftpOnly));

        var result = await phone.BootAsync(Ct);

        Assert.True(result.Accepted, string.Join('\n', result.Log));
        Assert.Equal("ITL installed", result.Status);
        Assert.Equal(tftpOnly ? FetchTransport.Tftp : FetchTransport.Http, result.Transport);
        Assert.Equal($"SEP{mac}.cnf.xml.sgn", result.ConfigFile);
        var served = await node.ServedAsync($"ITLSEP{mac}.tlv");
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(served)), result.Itl!.Md5);
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(served)), result.Itl.Sha1);
        Assert.Null(result.Ctl);
        Assert.Empty(result.TvsAnswered);
        Assert.Contains(result.Log, l => l.StartsWith("SECD: setupSecurity: no CTL, no ITL", StringComparison.Ordinal));
        Assert.Contains("TFTP: authenticated file approved - add .sgn", result.Log);
        Assert.All(["ctl", "itl", "config", "report"], p => Assert.True(result.Phases.ContainsKey(p), p));

        // Booting again with nothing changed keeps the same ITL and status.
        var again = await phone.BootAsync(Ct);
        Assert.True(again.Accepted);
        Assert.Equal("ITL installed", again.Status);
        Assert.Equal(result.Itl, again.Itl);
        Assert.Contains(again.Log, l => l.Contains("ITLFile.tlv unchanged", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownPhone_GetsXmlDefault_WhileAutoRegistrationIsOn()
    {
        const string Mac = "0A1B2C0000FF";
        var result = await new EmulatedPhone(Path.Combine(_root, Mac), node.Phone(Mac)).BootAsync(Ct);

        Assert.True(result.Accepted, string.Join('\n', result.Log));
        Assert.Equal("XMLDefault.cnf.xml.sgn", result.ConfigFile);
        Assert.Contains(result.Log, l => l.Contains("(XMLDefault: unknown phone)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Https_TrustsTheTomcatCertificateThroughTvs_ThenFromTheCache()
    {
        const string Mac = "0A1B2C000003";
        await node.CreateDeviceAsync("SEP" + Mac);
        var phone = new EmulatedPhone(Path.Combine(_root, Mac), node.Phone(Mac));
        Assert.True((await phone.BootAsync(Ct)).Accepted);
        var url = new Uri($"https://{NodeFactory.Fqdn}:8443/ccmcip/xmldirectory.jsp");

        var first = await phone.HttpsAsync(url, Ct);
        var second = await phone.HttpsAsync(url, Ct);

        Assert.True(first.Trusted, string.Join('\n', first.Log));
        Assert.Equal(HttpsTrustSource.Tvs, first.Source);
        Assert.Equal($"{NodeFactory.Fqdn}:2445", first.TvsServer);
        Assert.Equal(200, first.HttpStatus);
        Assert.Equal(HttpsTrustSource.TvsCache, second.Source);
        Assert.Equal(200, second.HttpStatus);
    }

    [Fact]
    public async Task Https_WithoutATrustList_IsNotTrusted()
    {
        const string Mac = "0A1B2C000004";
        await node.CreateDeviceAsync("SEP" + Mac);
        var dir = Path.Combine(_root, Mac);
        var phone = new EmulatedPhone(dir, node.Phone(Mac));
        Assert.True((await phone.BootAsync(Ct)).Accepted);
        EmulatedPhone.Erase(dir);

        var result = await phone.HttpsAsync(new Uri($"https://{NodeFactory.Fqdn}:8443/ccmcip/xmldirectory.jsp"), Ct);

        Assert.False(result.Trusted);
        Assert.Equal(HttpsTrustSource.None, result.Source);
        Assert.Null(result.HttpStatus);
        Assert.Null(EmulatedPhone.TrustList(dir).Itl);
    }

    [Fact]
    public async Task Cli_BootPrintsTheLogAndStatus_TrustlistShowsTheServedHashes_FarmWritesJson()
    {
        const string Mac = "0A1B2C000010";
        for (var i = 0; i < 4; i++)
        {
            await node.CreateDeviceAsync("SEP" + PhoneOptions.AddToMac(Mac, i));
        }

        var state = Path.Combine(_root, "cli");
        var resolve = node.Resolve.SelectMany(r => new[] { "--resolve", r }).ToArray();
        var boot = await Sbd(["phone", "boot", "--tftp", $"127.0.0.1:{node.TftpPort}", "--http-port", node.HttpPort.ToString(),
            "--mac", Mac, "--state", state, "--model", "8861", .. resolve,
            "--api", node.ApiAddress.ToString(), "--api-password", NodeFactory.AdminPassword]);
        Assert.True(boot.ExitCode == 0, boot.Output);
        Assert.Contains($"TFTP: dgetfile src=ITLSEP{Mac}.tlv dest=<ram>/ITLFile.tlv", boot.Output, StringComparison.Ordinal);
        Assert.EndsWith("STATUS: ITL installed", boot.Output.TrimEnd(), StringComparison.Ordinal);

        var served = await node.ServedAsync($"ITLSEP{Mac}.tlv");
        var list = await Sbd(["phone", "trustlist", "--state", state]);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains($"ITL MD5 {Convert.ToHexStringLower(MD5.HashData(served))}\n", list.Output, StringComparison.Ordinal);
        Assert.Contains($"ITL SHA1 {Convert.ToHexStringLower(SHA1.HashData(served))}\n", list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("CTL MD5", list.Output, StringComparison.Ordinal);

        var json = Path.Combine(_root, "farm.json");
        var farm = await Sbd(["phone", "farm", "--tftp", $"127.0.0.1:{node.TftpPort}", "--http-port", node.HttpPort.ToString(),
            "--mac-start", Mac, "--count", "4", "--concurrency", "2", "--model", "8861", "--state", Path.Combine(_root, "farm"),
            "--json", json, .. resolve]);
        Assert.True(farm.ExitCode == 0, farm.Output);
        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(json, Ct));
        var rootElement = summary.RootElement;
        Assert.Equal(4, rootElement.GetProperty("phones").GetInt32());
        Assert.Equal(4, rootElement.GetProperty("ok").GetInt32());
        Assert.Equal(0, rootElement.GetProperty("failed").GetInt32());
        Assert.Equal(4, rootElement.GetProperty("outcomes").GetProperty("ITL installed").GetInt32());
        Assert.True(rootElement.GetProperty("boot_ms").GetProperty("max").GetDouble() >= rootElement.GetProperty("boot_ms").GetProperty("p50").GetDouble());
        Assert.True(rootElement.GetProperty("phones_per_s").GetDouble() > 0);
        Assert.True(Directory.Exists(Path.Combine(_root, "farm", "SEP" + PhoneOptions.AddToMac(Mac, 3))));

        // A fifth, unknown MAC gets XMLDefault: still ok; a farm against a dead port is not.
        var dead = await Sbd(["phone", "farm", "--tftp", $"127.0.0.1:{FreePorts.Udp()}", "--tftp-only", "--mac-start", Mac,
            "--count", "1", "--concurrency", "1", "--state", Path.Combine(_root, "dead")]);
        Assert.NotEqual(0, dead.ExitCode);
    }

    internal static async Task<(int ExitCode, string Output)> Sbd(string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "sbd.dll");
        Assert.True(File.Exists(dll), "sbd.dll is not next to the test assembly");
        return await Tool.RunAsync("dotnet", [dll, .. args], 120_000);
    }
}
