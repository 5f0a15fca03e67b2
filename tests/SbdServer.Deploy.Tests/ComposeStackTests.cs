using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using SbdServer.Testing;
using Xunit;

namespace SbdServer.Deploy.Tests;

/// <summary>
/// The two-node compose stack as a lab admin runs it (issue 14, scope 5): images built from docker/Dockerfile,
/// PostgreSQL and two nodes healthy, an emulated phone (the real <c>sbd phone</c>) booting from the publisher's
/// published TFTP port, a TVS regeneration through the HTTPS API, and the phone still trusting the cluster after
/// <c>down</c> and <c>up</c> because the keys live in the volumes.
/// </summary>
public sealed partial class ComposeStackTests : IDisposable
{
    // Not the scenario tests' 127.0.0.11-13/.21-23: dotnet test runs the assemblies in parallel on the same ports.
    private const string PubAddress = "127.0.0.31";
    private const string SubAddress = "127.0.0.32";
    private const string SingleAddress = "127.0.0.33";
    private const string PubName = "sbd-pub";
    private const string PubFqdn = "sbd-pub.compose.test";
    private const string AdminPassword = "compose-test-admin-password";
    private const string Mac = "00112233CC01";

    private readonly string _work = Directory.CreateTempSubdirectory("sbd-compose-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stack_ComesUpHealthy_ServesAPhone_KeepsItsTrustAcrossDownAndUp()
    {
        var envFile = Path.Combine(_work, "compose.env");
        ComposeStack.WriteEnvFile(envFile, new Dictionary<string, string>
        {
            ["SBD_CLUSTER_PASSWORD"] = "compose-test-cluster-password",
            ["SBD_ADMIN_PASSWORD"] = AdminPassword,
            ["POSTGRES_PASSWORD"] = "compose-test-postgres-password",
            ["SBD_PUB_ADDRESS"] = PubAddress,
            ["SBD_SUB_ADDRESS"] = SubAddress,
            ["SBD_PUB_NAME"] = PubName,
            ["SBD_PUB_FQDN"] = PubFqdn,
            ["SBD_SUB_FQDN"] = "sbd-sub.compose.test",
            // Its own tag: a lab's sbdserver:local on the same engine is neither used nor replaced.
            ["SBD_IMAGE"] = "sbdserver:compose-test",
            // Key sealing at the production cost would only slow the first start; the cost is not under test here.
            ["SBD_PBKDF2_ITERATIONS"] = "1000",
        });
        var stack = await ComposeStack.RequireAsync(envFile);

        foreach (var file in new[] { "docker-compose.yml", "docker-compose.single.yml" })
        {
            var (code, output) = await stack.RunRawAsync(file, 60_000, "config", "-q");
            Assert.True(code == 0, $"{file} does not validate: {output}");
        }

        // A run killed half-way leaves its containers and volumes behind; this one starts from nothing.
        await stack.RunAsync("clean up an earlier run", 180_000, "down", "-v", "--remove-orphans");
        var completed = false;
        try
        {
            await stack.RunAsync("build the node image", 1_200_000, "build", "publisher");
            await stack.RunAsync("first up", 300_000, "up", "-d");
            await stack.WaitHealthyAsync(TimeSpan.FromMinutes(3), "postgres", "publisher", "subscriber");

            using var api = AdminClient(PubAddress, PubFqdn);
            var added = await api.PostAsJsonAsync("api/devices", new { name = "SEP" + Mac, model = "8861", securityProfile = "NonSecure" }, Ct);
            Assert.True(added.IsSuccessStatusCode, $"add the phone over HTTPS 8443: {added.StatusCode} {await added.Content.ReadAsStringAsync(Ct)}");

            // First boot over TFTP alone: UDP 69 through docker's port publishing needs the single-port mode.
            var state = Path.Combine(_work, "phone");
            var first = await BootAsync(state, PubAddress, "--tftp-only");
            Assert.Contains("STATUS: ITL installed", first, StringComparison.Ordinal);
            var installed = await ItlMd5Async(state);
            Assert.Equal(installed, await ServedItlMd5Async(PubAddress));
            var firstRecords = await TrustRecordsAsync(state);

            var regenerated = await api.PostAsync($"api/nodes/{PubName}/certificates/TVS/regenerate?confirm=true", null, Ct);
            Assert.True(regenerated.IsSuccessStatusCode, $"regenerate TVS over HTTPS 8443: {regenerated.StatusCode} {await regenerated.Content.ReadAsStringAsync(Ct)}");
            var newItl = await WaitServedItlChangesAsync(PubAddress, installed);

            // The ITL signer did not change: the phone takes the new ITL on its own (HTTP 6970 first, as phones do).
            var second = await BootAsync(state, PubAddress);
            Assert.Contains("STATUS: Trust List updated", second, StringComparison.Ordinal);
            Assert.Equal(newItl, await ItlMd5Async(state));
            var records = await TrustRecordsAsync(state);
            Assert.NotEqual(firstRecords, records);

            await stack.RunAsync("down, volumes kept", 180_000, "down");
            await stack.RunAsync("second up", 300_000, "up", "-d");
            await stack.WaitHealthyAsync(TimeSpan.FromMinutes(3), "postgres", "publisher", "subscriber");

            // Same keys from the volumes: the rebuilt ITL (a new timestamp, so new bytes) lists the same certificates,
            // and the phone accepts the files of the publisher and of the subscriber.
            await WaitServedItlChangesAsync(PubAddress, from: null);
            await BootAsync(state, PubAddress);
            Assert.Equal(records, await TrustRecordsAsync(state));
            await WaitServedItlChangesAsync(SubAddress, from: null);
            await BootAsync(state, SubAddress);
            completed = true;
        }
        finally
        {
            // A failed cleanup fails a passing run; after a failure the first failure is the one worth reading.
            var (code, output) = await stack.RunRawAsync(180_000, "down", "-v", "--remove-orphans");
            Assert.True(code == 0 || !completed, $"down -v: {output}");
        }
    }

    /// <summary>
    /// <c>docker/docker-compose.single.yml</c>, the one-node try-out on SQLite: healthy, serves a phone over TFTP
    /// alone, keeps its keys across <c>down</c> and <c>up</c> in its volume.
    /// </summary>
    [Fact]
    public async Task SingleNodeStack_OnSqlite_ComesUpHealthy_ServesAPhone_KeepsItsTrustAcrossDownAndUp()
    {
        const string name = "sbd-one";
        const string fqdn = "sbd-one.compose.test";
        var envFile = Path.Combine(_work, "single.env");
        ComposeStack.WriteEnvFile(envFile, new Dictionary<string, string>
        {
            ["SBD_CLUSTER_PASSWORD"] = "compose-single-cluster-password",
            ["SBD_ADMIN_PASSWORD"] = AdminPassword,
            ["SBD_PUB_ADDRESS"] = SingleAddress,
            ["SBD_PUB_NAME"] = name,
            ["SBD_PUB_FQDN"] = fqdn,
            ["SBD_IMAGE"] = "sbdserver:compose-test",
            ["SBD_PBKDF2_ITERATIONS"] = "1000",
        });
        var stack = await ComposeStack.RequireAsync(envFile, "docker-compose.single.yml", "sbd-compose-single-test");
        await stack.RunAsync("clean up an earlier run", 180_000, "down", "-v", "--remove-orphans");
        var completed = false;
        try
        {
            await stack.RunAsync("build the node image", 1_200_000, "build", "sbd");
            await stack.RunAsync("first up", 300_000, "up", "-d");
            await stack.WaitHealthyAsync(TimeSpan.FromMinutes(3), "sbd");

            using var api = AdminClient(SingleAddress, fqdn);
            var added = await api.PostAsJsonAsync("api/devices", new { name = "SEP" + Mac, model = "8861", securityProfile = "NonSecure" }, Ct);
            Assert.True(added.IsSuccessStatusCode, $"add the phone over HTTPS 8443: {added.StatusCode} {await added.Content.ReadAsStringAsync(Ct)}");
            var state = Path.Combine(_work, "single-phone");
            var first = await BootAsync(state, SingleAddress, "--tftp-only");
            Assert.Contains("STATUS: ITL installed", first, StringComparison.Ordinal);
            Assert.Equal(await ItlMd5Async(state), await ServedItlMd5Async(SingleAddress));
            var records = await TrustRecordsAsync(state);

            await stack.RunAsync("down, volumes kept", 180_000, "down");
            await stack.RunAsync("second up", 300_000, "up", "-d");
            await stack.WaitHealthyAsync(TimeSpan.FromMinutes(3), "sbd");
            await WaitServedItlChangesAsync(SingleAddress, from: null);
            await BootAsync(state, SingleAddress, "--tftp-only");
            Assert.Equal(records, await TrustRecordsAsync(state));
            completed = true;
        }
        finally
        {
            var (code, output) = await stack.RunRawAsync(180_000, "down", "-v", "--remove-orphans");
            Assert.True(code == 0 || !completed, $"down -v: {output}");
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // A phone state file still open on a failed run; the temp folder is cleaned by the OS.
        }
    }

    /// <summary><c>sbd phone boot</c>; fails unless the phone accepted its configuration (exit 0).</summary>
    private static async Task<string> BootAsync(string state, string tftp, params string[] extra)
    {
        var (code, output) = await SbdAsync(["phone", "boot", "--tftp", tftp, "--mac", Mac, "--model", "8861", "--state", state, .. extra]);
        Assert.True(code == 0, $"sbd phone boot --tftp {tftp} exited {code}\n{output}");
        return output;
    }

    private static async Task<string> ItlMd5Async(string state)
    {
        var (code, output) = await SbdAsync(["phone", "trustlist", "--state", state]);
        Assert.True(code == 0, $"sbd phone trustlist exited {code}\n{output}");
        var match = ItlMd5Line().Match(output);
        Assert.True(match.Success, $"no 'ITL MD5' line in the trust list:\n{output}");
        return match.Groups[1].Value;
    }

    /// <summary>The Trust List menu without its hash lines: signer and records (role, subject, issuer, serial).</summary>
    private static async Task<string> TrustRecordsAsync(string state)
    {
        var (code, output) = await SbdAsync(["phone", "trustlist", "--state", state]);
        Assert.True(code == 0, $"sbd phone trustlist exited {code}\n{output}");
        return string.Join('\n', output.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("ITL MD5", StringComparison.Ordinal)
            && !l.StartsWith("ITL SHA1", StringComparison.Ordinal)));
    }

    private static async Task<(int, string)> SbdAsync(string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "sbd.dll");
        Assert.True(File.Exists(dll), "sbd.dll is not next to the test assembly");
        return await Tool.RunAsync("dotnet", [dll, .. args], timeoutMs: 120_000);
    }

    private static async Task<string?> ServedItlMd5Async(string address)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            var bytes = await http.GetByteArrayAsync($"http://{address}:6970/ITLSEP{Mac}.tlv", Ct);
            return Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(bytes));
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>
    /// The node rebuilds its files after a change in the background (a subscriber through LISTEN/NOTIFY): polls HTTP
    /// 6970 until the ITL differs from <paramref name="from"/> (or is served at all when null).
    /// </summary>
    private static async Task<string> WaitServedItlChangesAsync(string address, string? from)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var served = await ServedItlMd5Async(address);
            if (served is not null && served != from)
            {
                return served;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{address}:6970 still serves ITL {served ?? "(none)"} 30 s after the change");
            await Task.Delay(500, Ct);
        }
    }

    /// <summary>
    /// The REST API on a node's HTTPS port. The tomcat certificate is self-signed by the node, so the client accepts
    /// exactly a certificate issued to the node's FQDN, as an admin's browser would after a first look.
    /// </summary>
    private static HttpClient AdminClient(string address, string fqdn)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is X509Certificate2 cert && cert.GetNameInfo(X509NameType.SimpleName, false) == fqdn,
            },
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri($"https://{address}:8443/"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + AdminPassword)));
        return client;
    }

    [GeneratedRegex(@"^ITL MD5 ([0-9a-f]{32})\s*$", RegexOptions.Multiline)]
    private static partial Regex ItlMd5Line();
}
