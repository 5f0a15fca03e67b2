using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SbdServer.Capf;
using SbdServer.Testing;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>
/// The independent CAPF client <c>capfc</c> of usecallmanagernz/daemons (Python, GPL: read from its public source at
/// test time, never part of this repository) enrols against a real host over real TLS: null string, authentication
/// string (wrong, then right), Troubleshoot and Delete authenticated by the LSC it was issued, unknown device.
/// <para>
/// Where the source comes from: <c>SBD_UCMNZ_DAEMONS</c>, a checkout of the repository or its bare git directory
/// (<c>capfc</c> is read from <c>HEAD</c>); default <c>/work/.mirror/usecallmanagernz+daemons/repo</c>, where the
/// <c>fetch</c> tool puts it. It also needs <c>python3</c> with the <c>cryptography</c> module (Debian
/// python3-cryptography). When any of that is missing the test skips with the reason, also under <c>CI=true</c>: it
/// calls <c>Assert.Skip</c>, not <c>Requirements.SkipOrFail</c>, because <c>.ci/run</c> does not fetch third-party
/// source and the issue does not require this client in CI.
/// </para>
/// </summary>
public sealed class CapfcInteropTests(ApiFactory factory) : IClassFixture<ApiFactory>, IDisposable
{
    public const string SourceVariable = "SBD_UCMNZ_DAEMONS";
    private const string DefaultSource = "/work/.mirror/usecallmanagernz+daemons/repo";

    private readonly string _work = Directory.CreateTempSubdirectory("sbd-capfc-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Capfc_InstallsByNullAndAuthString_FetchesAndDeletesWithItsLsc_UnknownDevice()
    {
        var capfc = LocateCapfc(_work);
        using var admin = factory.Admin();
        var capfPem = Path.Combine(_work, "capf.pem");
        await File.WriteAllTextAsync(capfPem, await admin.GetStringAsync("/api/nodes/cucm-pub/certificates/CAPF/pem", Ct), Ct);
        using var capf = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(capfPem, Ct));
        var port = factory.Services.GetRequiredService<CapfHostedService>().Server!.LocalEndPoint.Port;
        const string Name = "SEP0C000000CAFC";
        var lscFile = Path.Combine(_work, Name + ".pem");
        using (var created = await admin.PostAsJsonAsync("/api/devices", new { name = Name, model = "8861" }, Ct))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(Ct));
        }

        // Install by null string, RSA-2048: capfc writes the LSC and its key, the device gets the same certificate.
        await ScheduleAsync(admin, Name, new { operation = "Install", authMode = "NullString", keyType = "RSA", keySize = 2048 });
        var install = await RunAsync(capfc, capfPem, port, Name);
        Assert.True(install.ExitCode == 0 && install.Output.Contains("Wrote " + Name + ".pem", StringComparison.Ordinal), install.Output);
        using (var lsc = X509Certificate2.CreateFromPemFile(lscFile, lscFile))
        {
            Assert.Equal(capf.SubjectName.RawData, lsc.IssuerName.RawData);
            Assert.Equal(2048, lsc.GetRSAPublicKey()!.KeySize);
            var device = await DeviceAsync(admin, Name);
            Assert.Equal("Upgrade Success", device.GetProperty("capf").GetProperty("status").GetString());
            Assert.Equal(lsc.SerialNumber, device.GetProperty("lsc").GetProperty("serialNumber").GetString());
        }

        // Authentication string: a wrong one ends the session with reason 7, the right one installs (RSA-1024: capfc
        // at HEAD passes the curve class, not an instance, which the cryptography 48 installed here rejects, so its EC install
        // fails inside capfc before it answers; our EC path is covered by the emulated phone's tests).
        await ScheduleAsync(admin, Name, new { operation = "Install", authMode = "AuthenticationString", authString = "24680", keyType = "RSA", keySize = 1024 });
        var wrong = await RunAsync(capfc, capfPem, port, Name, "-p", "13579");
        Assert.True(wrong.Output.Contains("Server ended session: 7", StringComparison.Ordinal), wrong.Output);
        Assert.Equal("wrong authentication string", (await DeviceAsync(admin, Name)).GetProperty("capf").GetProperty("statusReason").GetString());
        var right = await RunAsync(capfc, capfPem, port, Name, "-p", "24680");
        Assert.True(right.ExitCode == 0 && right.Output.Contains("Wrote", StringComparison.Ordinal), right.Output);
        using (var upgraded = X509Certificate2.CreateFromPemFile(lscFile, lscFile))
        {
            Assert.Equal(1024, upgraded.GetRSAPublicKey()!.KeySize);
            Assert.Equal(upgraded.SerialNumber, (await DeviceAsync(admin, Name)).GetProperty("lsc").GetProperty("serialNumber").GetString());
        }

        // Troubleshoot authenticated by that LSC (capfc's raw PKCS#1 SHA-1 and SHA-512 signed data and SUDI data), then Delete.
        await ScheduleAsync(admin, Name, new { operation = "Fetch", authMode = "ExistingCertificate" });
        var fetch = await RunAsync(capfc, capfPem, port, Name, "-l", lscFile);
        Assert.True(fetch.ExitCode == 0 && fetch.Output.Contains("Stored " + Name + ".pem", StringComparison.Ordinal), fetch.Output);
        var fetched = (await SessionsAsync(admin, Name))[0];
        Assert.Equal("Fetched", fetched.GetProperty("outcome").GetString());
        Assert.Equal("LSC", fetched.GetProperty("authMode").GetString());
        Assert.Equal("Troubleshoot Success", (await DeviceAsync(admin, Name)).GetProperty("capf").GetProperty("status").GetString());

        await ScheduleAsync(admin, Name, new { operation = "Delete", authMode = "ExistingCertificate" });
        var delete = await RunAsync(capfc, capfPem, port, Name, "-l", lscFile);
        Assert.True(delete.ExitCode == 0 && delete.Output.Contains("Deleted " + Name + ".pem", StringComparison.Ordinal), delete.Output);
        Assert.False(File.Exists(lscFile));
        var deleted = await DeviceAsync(admin, Name);
        Assert.Equal("Delete Success", deleted.GetProperty("capf").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, deleted.GetProperty("lsc").ValueKind);
        Assert.Equal("Deleted", (await SessionsAsync(admin, Name))[0].GetProperty("outcome").GetString());

        // Nothing scheduled, and a device CAPF does not know.
        var idle = await RunAsync(capfc, capfPem, port, Name);
        Assert.True(idle.Output.Contains("No scheduled operation", StringComparison.Ordinal), idle.Output);
        var unknown = await RunAsync(capfc, capfPem, port, "SEP0C000000CAFD");
        Assert.True(unknown.Output.Contains("Unknown device: SEP0C000000CAFD", StringComparison.Ordinal), unknown.Output);
    }

    /// <summary>capfc from <see cref="SourceVariable"/> (checkout or bare git directory), or a skip with the reason.</summary>
    private static string LocateCapfc(string work)
    {
        var source = Environment.GetEnvironmentVariable(SourceVariable) is { Length: > 0 } configured ? configured : DefaultSource;
        string? script = null;
        if (File.Exists(Path.Combine(source, "capfc")))
        {
            script = Path.Combine(source, "capfc");
        }
        else if (Directory.Exists(Path.Combine(source, "objects")))
        {
            var (code, text) = Run("git", ["--git-dir", source, "show", "HEAD:capfc"], null);
            if (code == 0)
            {
                script = Path.Combine(work, "capfc");
                File.WriteAllText(script, text);
            }
        }

        if (script is null)
        {
            Assert.Skip($"capfc (usecallmanagernz/daemons) not found: set {SourceVariable} to a checkout or its git directory (looked in {source}).");
        }

        if (Run("python3", ["-c", "import cryptography"], null).ExitCode != 0)
        {
            Assert.Skip("capfc needs python3 with the cryptography module (Debian: python3-cryptography).");
        }

        return script;
    }

    private Task<(int ExitCode, string Output)> RunAsync(string capfc, string capfPem, int port, string device, params string[] extra) =>
        Task.Run(() => Run("python3", [capfc, "-h", $"127.0.0.1:{port}", "-A", capfPem, "-t", "20", .. extra, device], _work), Ct);

    private static (int ExitCode, string Output) Run(string file, string[] args, string? workingDirectory)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? "" };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"{file} did not finish within 60 s");
            }

            return (process.ExitCode, stdout.Result + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{file}: {e.Message}");
        }
    }

    private static async Task ScheduleAsync(HttpClient admin, string name, object body)
    {
        using var response = await admin.PutAsJsonAsync($"/api/devices/{name}/capf", body, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<JsonElement> DeviceAsync(HttpClient admin, string name) =>
        await admin.GetFromJsonAsync<JsonElement>($"/api/devices/{name}", Ct);

    private static async Task<JsonElement[]> SessionsAsync(HttpClient admin, string name) =>
        (await admin.GetFromJsonAsync<JsonElement[]>($"/api/capf/sessions?device={name}", Ct))!;
}
