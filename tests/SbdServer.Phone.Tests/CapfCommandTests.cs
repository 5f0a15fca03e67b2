using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SbdServer.Testing;
using Xunit;

namespace SbdServer.Phone.Tests;

/// <summary>
/// <c>sbd phone capf</c> as a process against a real node over TLS: a wrong authentication string exits 1 with the
/// END_SESSION code, the right one installs the LSC into the state so the next <c>sbd phone boot</c> decrypts the
/// encrypted config with it, and a delete removes it again.
/// </summary>
public sealed class CapfCommandTests(NodeFactory node) : IClassFixture<NodeFactory>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sbd-phone-capf-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Capf_WrongStringExits1_RightStringInstalls_BootDecrypts_DeleteRemovesTheLsc()
    {
        const string Mac = "0A1B2C00CAF1";
        const string Name = "SEP" + Mac;
        await node.CreateDeviceAsync(Name);
        using var admin = node.Admin();
        await PutAsync(admin, $"/api/devices/{Name}", new { securityProfile = "Encrypted", encryptedConfig = true });
        var state = Path.Combine(_root, "phone");
        var host = $"127.0.0.1:{node.CapfPort}";

        // Before a boot there is no trust list to check the CAPF server against. Without a phone certificate the node
        // serves the plain signed config, as CUCM's TFTP does.
        var early = await Sbd(["phone", "capf", "--host", host, "--state", state]);
        Assert.Equal(2, early.ExitCode);
        var first = await BootAsync(state, Mac);
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.DoesNotContain(".enc.sgn", first.Output, StringComparison.Ordinal);

        await PutAsync(admin, $"/api/devices/{Name}/capf",
            new { operation = "Install", authMode = "AuthenticationString", authString = "246810", keyType = "RSA", keySize = 2048 });
        var wrong = await Sbd(["phone", "capf", "--host", host, "--state", state, "--auth-string", "135790"]);
        Assert.True(wrong.ExitCode == 1, wrong.Output);
        Assert.Contains("STATUS: refused by CAPF (END_SESSION 7)", wrong.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(state, PhoneState.LscFile)));

        var right = await Sbd(["phone", "capf", "--host", host, "--state", state, "--auth-string", "246810"]);
        Assert.True(right.ExitCode == 0, right.Output);
        Assert.Contains("STATUS: LSC: Installed (END_SESSION 1)", right.Output, StringComparison.Ordinal);
        var pem = await File.ReadAllTextAsync(Path.Combine(state, PhoneState.LscFile), Ct);
        using (var lsc = X509Certificate2.CreateFromPem(pem, pem))
        {
            var device = await admin.GetFromJsonAsync<JsonElement>($"/api/devices/{Name}", Ct);
            Assert.Equal(lsc.SerialNumber, device.GetProperty("lsc").GetProperty("serialNumber").GetString());
            Assert.Equal(Convert.ToHexStringLower(MD5.HashData(lsc.RawData)), device.GetProperty("certificate").GetProperty("md5").GetString());
        }

        var second = await BootAsync(state, Mac);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains($"SECD: {Name}.cnf.xml.enc.sgn: decrypted with the phone's LSC", second.Output, StringComparison.Ordinal);

        // Nothing scheduled any more: END_SESSION 0, still exit 0, the LSC stays.
        var idle = await Sbd(["phone", "capf", "--host", host, "--state", state]);
        Assert.True(idle.ExitCode == 0, idle.Output);
        Assert.Contains("STATUS: no scheduled operation (END_SESSION 0)", idle.Output, StringComparison.Ordinal);

        await PutAsync(admin, $"/api/devices/{Name}/capf", new { operation = "Delete", authMode = "ExistingCertificate" });
        var delete = await Sbd(["phone", "capf", "--host", host, "--state", state]);
        Assert.True(delete.ExitCode == 0, delete.Output);
        Assert.Contains("LSC deleted (END_SESSION 1)", delete.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(state, PhoneState.LscFile)));
    }

    [Fact]
    public async Task Capf_UnknownDeviceExits1WithReason9_ClosedPortExits2()
    {
        const string Mac = "0A1B2C00CAF2";
        var state = Path.Combine(_root, "stranger");
        await node.CreateDeviceAsync("SEP" + Mac);
        var boot = await BootAsync(state, Mac);
        Assert.True(boot.ExitCode == 0, boot.Output);
        using (var admin = node.Admin())
        {
            using var deleted = await admin.DeleteAsync($"/api/devices/SEP{Mac}", Ct);
            Assert.True(deleted.IsSuccessStatusCode, await deleted.Content.ReadAsStringAsync(Ct));
        }

        var unknown = await Sbd(["phone", "capf", "--host", $"127.0.0.1:{node.CapfPort}", "--state", state]);
        Assert.True(unknown.ExitCode == 1, unknown.Output);
        Assert.Contains("STATUS: refused by CAPF: unknown device (END_SESSION 9)", unknown.Output, StringComparison.Ordinal);

        var closed = await Sbd(["phone", "capf", "--host", $"127.0.0.1:{FreePorts.Tcp()}", "--state", state]);
        Assert.True(closed.ExitCode == 2, closed.Output);
        Assert.Contains("STATUS: error: CAPF 127.0.0.1:", closed.Output, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Output)> BootAsync(string state, string mac) =>
        Sbd(["phone", "boot", "--tftp", $"127.0.0.1:{node.TftpPort}", "--http-port", node.HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--mac", mac, "--state", state, "--model", "8861", .. node.Resolve.SelectMany(r => new[] { "--resolve", r })]);

    private static Task<(int ExitCode, string Output)> Sbd(string[] args) => PhoneBootTests.Sbd(args);

    private static async Task PutAsync(HttpClient admin, string path, object body)
    {
        using var response = await admin.PutAsJsonAsync(path, body, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }
}
