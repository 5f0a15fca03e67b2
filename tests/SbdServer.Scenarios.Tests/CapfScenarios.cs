using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using SbdServer.Phone;
using SbdServer.Phone.Capf;
using SbdServer.Wire.Sgn;
using Xunit;

namespace SbdServer.Scenarios.Tests;

/// <summary>
/// cucm-reference.md section 3, scenarios 21 (encrypted config with an LSC) and 23 (the CAPF operations), on a
/// one-node cluster whose CAPF listens on 127.0.0.11:3804; the emulated phone checks the CAPF server against the
/// CAPF record of the ITL it installed at boot.
/// </summary>
public sealed class CapfScenarios : ScenarioTestBase
{
    private const int CapfPort = 3804;

    /// <summary>
    /// Scenario 21: "TFTP Encrypted Config", a CAPF install by null string, the stub <c>.sgn</c> carries the LSC's MD5
    /// and the phone decrypts <c>.enc.sgn</c> with the new key. Negative: a phone that lost its LSC finds the certHash
    /// not its certificate's, runs a CAPF session (here by MIC, the stand-in manufacturing CA in CAPF-trust) and then
    /// decrypts again.
    /// </summary>
    [Fact]
    public async Task Scenario21_EncryptedConfig_CapfInstallByNullString_ThenBootDecryptsWithTheLsc()
    {
        var cluster = await ClusterAsync(1, "ITLRecovery");
        var phone = await PhoneAsync(cluster, "0A0B0C0D2101");
        await PutAsync(cluster, $"/api/devices/{phone.Name}", new { securityProfile = "Encrypted", encryptedConfig = true });

        // No phone certificate yet: the plain signed config, which also installs the ITL with the CAPF record.
        var first = await phone.BootAsync();
        Expect.Accepted(first, "ITL installed", "scenario 21, before CAPF");
        Assert.Equal($"SEP{phone.Mac}.cnf.xml.sgn", first.ConfigFile);

        await PutAsync(cluster, $"/api/devices/{phone.Name}/capf", new { operation = "Install", authMode = "NullString", keyType = "RSA", keySize = 2048 });
        var install = await CapfAsync(cluster, phone);
        Assert.True(install.Outcome == CapfClientOutcome.Installed, string.Join('\n', install.Log));
        Assert.Equal(1, install.EndReason);
        using var lsc = LoadPem(Path.Combine(phone.StateDirectory, PhoneState.LscFile));
        using var capf = await cluster.CertificateAsync("cucm-pub", "CAPF");
        Assert.Equal(capf.SubjectName.RawData, lsc.IssuerName.RawData);
        var md5 = Convert.ToHexStringLower(MD5.HashData(lsc.RawData));
        var device = await DeviceAsync(cluster, phone);
        Assert.Equal("Upgrade Success", device.GetProperty("capf").GetProperty("status").GetString());
        Assert.Equal(md5, device.GetProperty("certificate").GetProperty("md5").GetString());

        // TFTP now builds the stub .sgn (certHash, encrConfig) and the .enc.sgn wrapped for the LSC's key.
        var stub = Encoding.UTF8.GetString(SgnCodec.Parse(await cluster.Admin.GetByteArrayAsync($"/api/files/SEP{phone.Mac}.cnf.xml.sgn", Ct)).Body.Span);
        Assert.Contains(md5, stub, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<encrConfig>true</encrConfig>", stub, StringComparison.Ordinal);
        var decrypted = await phone.BootAsync();
        Expect.Accepted(decrypted, "scenario 21, after CAPF");
        Assert.Equal($"SEP{phone.Mac}.cnf.xml.enc.sgn", decrypted.ConfigFile);
        Assert.Contains(decrypted.Log, l => l.Contains("decrypted with the phone's LSC", StringComparison.Ordinal));
        Assert.Contains("<device", await File.ReadAllTextAsync(Path.Combine(phone.StateDirectory, PhoneState.ConfigFile), Ct), StringComparison.Ordinal);

        // Negative: the phone lost its LSC and holds only its MIC: certHash mismatch, CAPF needed.
        using var manufacturing = MakeCa("CN=Scenario Manufacturing CA");
        using var mic = MakeMic(manufacturing, $"CP-8861-{phone.Name}");
        File.Delete(Path.Combine(phone.StateDirectory, PhoneState.LscFile));
        await File.WriteAllTextAsync(Path.Combine(phone.StateDirectory, PhoneState.MicFile), Pem(mic), Ct);
        var mismatch = await phone.BootAsync();
        Assert.True(mismatch.Status == "Encrypted config: certHash mismatch", string.Join('\n', mismatch.Log));
        Assert.Contains(mismatch.Log, l => l.Contains("CAPF needed", StringComparison.Ordinal));

        using (var upload = await cluster.Admin.PostAsync("/api/trust/CAPF-trust",
            new StringContent(manufacturing.ExportCertificatePem(), Encoding.ASCII, "application/x-pem-file"), Ct))
        {
            Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync(Ct));
        }

        await PutAsync(cluster, $"/api/devices/{phone.Name}/capf", new { operation = "Install", authMode = "ExistingCertificate" });
        var byMic = await CapfAsync(cluster, phone);
        Assert.True(byMic.Outcome == CapfClientOutcome.Installed, string.Join('\n', byMic.Log));
        Assert.Contains(byMic.Log, l => l.Contains("with MIC", StringComparison.Ordinal));
        var recovered = await phone.BootAsync();
        Expect.Accepted(recovered, "scenario 21, after the MIC-authenticated install");
        Assert.Equal($"SEP{phone.Mac}.cnf.xml.enc.sgn", recovered.ConfigFile);
        Assert.Equal("MIC", (await SessionsAsync(cluster, phone.Name))[0].GetProperty("authMode").GetString());
    }

    /// <summary>
    /// Scenario 23: Install/Upgrade by authentication string (no or wrong string: END_SESSION 7, "Upgrade Failed",
    /// the phone shows "Not Installed"), Troubleshoot (fetch: the LSC is handed to CAPF and recorded), Delete (LSC
    /// removed, "Not Installed" = success), an unknown device (END_SESSION 9), each visible in the session log.
    /// </summary>
    [Fact]
    public async Task Scenario23_InstallByString_Troubleshoot_Delete_UnknownDevice()
    {
        var cluster = await ClusterAsync(1, "ITLRecovery");
        var phone = await PhoneAsync(cluster, "0A0B0C0D2301");
        Expect.Accepted(await phone.BootAsync(), "ITL installed", "scenario 23, first boot");
        await PutAsync(cluster, $"/api/devices/{phone.Name}/capf",
            new { operation = "Install", authMode = "AuthenticationString", authString = "4711", keyType = "EC", keySize = 256 });
        Assert.Equal("Pending", (await DeviceAsync(cluster, phone)).GetProperty("capf").GetProperty("status").GetString());

        // The user has not keyed the string in (null string), then keys a wrong one: refused both times.
        foreach (var attempt in new[] { "", "1234" })
        {
            var refused = await CapfAsync(cluster, phone, attempt);
            Assert.True(refused.Outcome == CapfClientOutcome.Refused, string.Join('\n', refused.Log));
            Assert.Equal(7, refused.EndReason);
            Assert.Equal(PhoneCapfSession.NotInstalled, PhoneState.OpenExisting(phone.StateDirectory).Data.Messages!.Last());
        }

        var failed = (await DeviceAsync(cluster, phone)).GetProperty("capf");
        Assert.Equal("Upgrade Failed", failed.GetProperty("status").GetString());
        Assert.Equal(2, failed.GetProperty("failedAttempts").GetInt32());
        Assert.Equal("Install", failed.GetProperty("operation").GetString());

        var installed = await CapfAsync(cluster, phone, "4711");
        Assert.True(installed.Outcome == CapfClientOutcome.Installed, string.Join('\n', installed.Log));
        using var lsc = LoadPem(Path.Combine(phone.StateDirectory, PhoneState.LscFile));
        Assert.Equal(256, lsc.GetECDsaPublicKey()!.KeySize);
        var upgraded = await DeviceAsync(cluster, phone);
        Assert.Equal("Upgrade Success", upgraded.GetProperty("capf").GetProperty("status").GetString());
        Assert.Equal("None", upgraded.GetProperty("capf").GetProperty("operation").GetString());
        Assert.Equal(lsc.SerialNumber, upgraded.GetProperty("lsc").GetProperty("serialNumber").GetString());

        // Troubleshoot: by existing certificate (the LSC), the phone hands it over; CAPF records it.
        await PutAsync(cluster, $"/api/devices/{phone.Name}/capf", new { operation = "Fetch", authMode = "ExistingCertificate" });
        var fetched = await CapfAsync(cluster, phone);
        Assert.True(fetched.Outcome == CapfClientOutcome.Fetched, string.Join('\n', fetched.Log));
        Assert.Equal(0, fetched.EndReason);
        Assert.Equal("Troubleshoot Success", (await DeviceAsync(cluster, phone)).GetProperty("capf").GetProperty("status").GetString());
        var troubleshoot = (await SessionsAsync(cluster, phone.Name))[0];
        Assert.Equal("LSC", troubleshoot.GetProperty("authMode").GetString());

        // Delete: the LSC leaves the phone and the device; the phone shows "Not Installed", which is success here.
        await PutAsync(cluster, $"/api/devices/{phone.Name}/capf", new { operation = "Delete", authMode = "ExistingCertificate" });
        var deleted = await CapfAsync(cluster, phone);
        Assert.True(deleted.Outcome == CapfClientOutcome.Deleted, string.Join('\n', deleted.Log));
        Assert.Equal(1, deleted.EndReason);
        Assert.False(File.Exists(Path.Combine(phone.StateDirectory, PhoneState.LscFile)));
        Assert.Equal(PhoneCapfSession.NotInstalled, PhoneState.OpenExisting(phone.StateDirectory).Data.Messages!.Last());
        var gone = await DeviceAsync(cluster, phone);
        Assert.Equal("Delete Success", gone.GetProperty("capf").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, gone.GetProperty("lsc").ValueKind);

        // A phone CAPF does not know (its device was removed after it booted), through the sbd command: exit 1, reason 9.
        var stranger = await PhoneAsync(cluster, "0A0B0C0D23FF");
        Expect.Accepted(await stranger.BootAsync(), "ITL installed", "scenario 23, stranger boot");
        using (var removed = await cluster.Admin.DeleteAsync($"/api/devices/{stranger.Name}", Ct))
        {
            Assert.True(removed.IsSuccessStatusCode, await removed.Content.ReadAsStringAsync(Ct));
        }

        var unknown = await SbdCli.RunAsync("phone", "capf", "--host", $"{cluster.Publisher.Address}:{CapfPort}", "--state", stranger.StateDirectory);
        Assert.True(unknown.ExitCode == 1, unknown.Output);
        Assert.Contains("STATUS: refused by CAPF: unknown device (END_SESSION 9)", unknown.Output, StringComparison.Ordinal);
        Assert.Equal("UnknownDevice", (await SessionsAsync(cluster, stranger.Name))[0].GetProperty("outcome").GetString());

        var outcomes = (await SessionsAsync(cluster, phone.Name)).Select(s => s.GetProperty("outcome").GetString()).ToArray();
        Assert.Equal(["Deleted", "Fetched", "Installed", "AuthenticationFailed", "AuthenticationFailed"], outcomes);
    }

    private static Task<CapfClientResult> CapfAsync(ScenarioCluster cluster, ScenarioPhone phone, string authString = "") =>
        PhoneCapfSession.RunAsync(phone.StateDirectory, cluster.Publisher.Address, CapfPort, authString, TimeSpan.FromSeconds(30), Ct);

    private static async Task PutAsync(ScenarioCluster cluster, string path, object body)
    {
        using var response = await cluster.Admin.PutAsJsonAsync(path, body, Ct);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {await response.Content.ReadAsStringAsync(Ct)}");
    }

    private static async Task<JsonElement> DeviceAsync(ScenarioCluster cluster, ScenarioPhone phone) =>
        await cluster.Admin.GetFromJsonAsync<JsonElement>($"/api/devices/{phone.Name}", Ct);

    private static async Task<JsonElement[]> SessionsAsync(ScenarioCluster cluster, string name) =>
        (await cluster.Admin.GetFromJsonAsync<JsonElement[]>($"/api/capf/sessions?device={name}", Ct))!;

    private static X509Certificate2 LoadPem(string path)
    {
        var pem = File.ReadAllText(path);
        return X509Certificate2.CreateFromPem(pem, pem);
    }

    private static string Pem(X509Certificate2 certificate)
    {
        using var key = certificate.GetRSAPrivateKey()!;
        return certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n";
    }

    private static X509Certificate2 MakeCa(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
    }

    private static X509Certificate2 MakeMic(X509Certificate2 ca, string commonName)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5), RandomNumberGenerator.GetBytes(8));
        return issued.CopyWithPrivateKey(key);
    }
}
