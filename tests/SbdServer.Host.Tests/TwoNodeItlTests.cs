using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Npgsql;
using SbdServer.Phone.Tvs;
using SbdServer.Testing;
using SbdServer.Tftp.Client;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Signed;
using SbdServer.Wire.Tvs;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>
/// Two real host processes (publisher <c>cucm-pub</c>, subscriber <c>cucm-sub1</c>) on one real PostgreSQL database,
/// each serving TFTP and HTTP 6970 on its own loopback ports: a certificate regeneration through the publisher's API
/// changes the ITL the publisher serves on the next request and the one the subscriber serves within a second
/// (issue 5, last acceptance bullet; LISTEN/NOTIFY -> event hub -> catalogue invalidation).
/// </summary>
public sealed class TwoNodeItlTests : IAsyncLifetime
{
    private const string Mac = "0A0B0C0D0E77";
    private const string Itl = "ITLFile.tlv";
    private const string DeviceItl = "ITLSEP" + Mac + ".tlv";
    private const int RaceRounds = 5;

    private readonly List<string> _dataDirs = [];
    private readonly List<HostProcess> _hosts = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        foreach (var dir in _dataDirs)
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task TvsRegenerationOnPublisher_NewItlOnPublisherNextRequest_AndOnSubscriberWithinASecond()
    {
        var server = await PostgresServer.RequireAsync();
        var database = await server.CreateDatabaseAsync();

        // The publisher creates the cluster; the subscriber joins the existing one.
        var pub = await StartNodeAsync("cucm-pub", database);
        var sub = await StartNodeAsync("cucm-sub1", database);
        using var admin = pub.Host.Client();
        using var subAdmin = sub.Host.Client();
        var created = await admin.PostAsJsonAsync("/api/devices", new { name = "SEP" + Mac, model = "8861" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var oldTvs = await DerAsync(admin, "cucm-pub", "TVS");
        var itlRecovery = await DerAsync(admin, "cucm-pub", "ITLRecovery");
        var pubCallManager = await DerAsync(admin, "cucm-pub", "CallManager");
        var subCallManager = await DerAsync(admin, "cucm-sub1", "CallManager");
        var subTvs = await DerAsync(admin, "cucm-sub1", "TVS");

        // Before: both nodes serve ITLs holding the current TVS certificate (and the device's ITLSEP once it exists).
        await WaitForAsync(sub.TftpPort, DeviceItl, itl => true, TimeSpan.FromSeconds(10));
        foreach (var node in new[] { pub, sub })
        {
            foreach (var name in new[] { Itl, DeviceItl })
            {
                var before = Parse(await FetchAsync(node.TftpPort, name), itlRecovery);
                Assert.Contains(before.Records, r => r.Role == TrustRole.Tvs && Is(r, oldTvs));
            }
        }

        var subBefore = await FetchAsync(sub.TftpPort, Itl);

        var regenerate = await admin.PostAsync("/api/nodes/cucm-pub/certificates/TVS/regenerate?confirm=true", null, Ct);
        var returned = Stopwatch.GetTimestamp();
        Assert.True(regenerate.IsSuccessStatusCode, await regenerate.Content.ReadAsStringAsync(Ct));

        // (b) The subscriber, polled every ~50 ms from the moment the API call returned.
        byte[]? subAfter = null;
        var polls = 0;
        while (Stopwatch.GetElapsedTime(returned) < TimeSpan.FromSeconds(5))
        {
            polls++;
            var bytes = await FetchAsync(sub.TftpPort, Itl);
            if (!bytes.AsSpan().SequenceEqual(subBefore))
            {
                subAfter = bytes;
                break;
            }

            await Task.Delay(50, Ct);
        }

        var elapsed = Stopwatch.GetElapsedTime(returned);
        Assert.True(subAfter is not null, $"The subscriber still served the old ITL after {elapsed.TotalMilliseconds:F0} ms ({polls} polls).");
        Assert.True(elapsed < TimeSpan.FromSeconds(1),
            $"The subscriber served the new ITL only after {elapsed.TotalMilliseconds:F0} ms ({polls} polls).");

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Subscriber served the new ITL {elapsed.TotalMilliseconds:F0} ms after the API call returned ({polls} polls).");

        // (a) The publisher's next request (made after the subscriber poll, so (b) is timed from the API return).
        var pubAfter = await FetchAsync(pub.TftpPort, Itl);

        var newTvs = await DerAsync(admin, "cucm-pub", "TVS");
        Assert.False(newTvs.AsSpan().SequenceEqual(oldTvs));
        Assert.Equal(newTvs, await DerAsync(subAdmin, "cucm-pub", "TVS"));
        var pubItl = Parse(pubAfter, itlRecovery);
        var subItl = Parse(subAfter, itlRecovery);
        foreach (var itl in new[] { pubItl, subItl })
        {
            Assert.Contains(itl.Records, r => r.Role == TrustRole.Tvs && Is(r, newTvs));
            Assert.Contains(itl.Records, r => r.Role == TrustRole.Tvs && Is(r, subTvs));
            Assert.DoesNotContain(itl.Records, r => Is(r, oldTvs));
        }

        // Each TFTP node lists its own CallManager certificate (role TFTP, and SAST next to the ITLRecovery); every
        // other record is the same on both.
        Assert.True(Is(Assert.Single(pubItl.Records, r => r.Role == TrustRole.Tftp), pubCallManager));
        Assert.True(Is(Assert.Single(subItl.Records, r => r.Role == TrustRole.Tftp), subCallManager));
        Assert.Contains(pubItl.Records, r => r.Role == TrustRole.Sast && Is(r, pubCallManager));
        Assert.Contains(subItl.Records, r => r.Role == TrustRole.Sast && Is(r, subCallManager));
        Assert.Equal(Shared(pubItl), Shared(subItl));

        // The device's ITLSEP changed on both nodes as well.
        foreach (var node in new[] { pub, sub })
        {
            var deviceItl = Parse(await FetchAsync(node.TftpPort, DeviceItl), itlRecovery);
            Assert.Contains(deviceItl.Records, r => r.Role == TrustRole.Tvs && Is(r, newTvs));
            Assert.DoesNotContain(deviceItl.Records, r => Is(r, oldTvs));
        }

        // HTTP 6970 on the subscriber serves the very bytes its TFTP serves.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal(subAfter, await http.GetByteArrayAsync($"http://127.0.0.1:{sub.HttpPort}/{Itl}", Ct));
        Assert.Equal(subAfter, await FetchAsync(sub.TftpPort, Itl));

        // Both nodes' APIs regenerate the same certificate at once: the cluster write lock makes it one linear
        // history (each regeneration replaces what the previous one wrote), none lost (ADR 0003).
        var current = await DerAsync(admin, "cucm-pub", "TVS");
        var racing = new[] { admin, subAdmin }.Select(client => Task.Run(async () =>
        {
            for (var i = 0; i < RaceRounds; i++)
            {
                var response = await client.PostAsync(
                    "/api/nodes/cucm-pub/certificates/TVS/regenerate?confirm=true&keyAlgorithm=EcP256", null, Ct);
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
            }
        }, Ct));
        await Task.WhenAll(racing);
        var audit = (await admin.GetFromJsonAsync<List<AuditRow>>("/api/audit?max=1000", Ct))!
            .Where(a => a is { Action: "certificate.regenerate", Target: "cucm-pub/TVS" })
            .Select(a => System.Text.RegularExpressions.Regex.Match(a.Details, "SHA-256 ([0-9a-f]{64}) -> ([0-9a-f]{64})"))
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var chain = new List<string> { Convert.ToHexStringLower(SHA256.HashData(current)) };
        while (audit.TryGetValue(chain[^1], out var next))
        {
            chain.Add(next);
        }

        Assert.Equal((2 * RaceRounds) + 1, chain.Count);
        Assert.Equal(chain[^1], Convert.ToHexStringLower(SHA256.HashData(await DerAsync(subAdmin, "cucm-pub", "TVS"))));
    }

    [Fact]
    public async Task DatabaseOutage_NodesKeepServing_ApiSaysWhy_AndAChangeMadeWhileASubscriberWasDeafReachesIt()
    {
        var server = await PostgresServer.RequireAsync();
        var database = await server.CreateDatabaseAsync();
        var databaseName = new NpgsqlConnectionStringBuilder(database).Database!;
        var pub = await StartNodeAsync("cucm-pub", database);
        var sub = await StartNodeAsync("cucm-sub1", database);
        using var admin = pub.Host.Client();
        var created = await admin.PostAsJsonAsync("/api/devices", new { name = "SEP" + Mac, model = "8861" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await WaitForAsync(sub.TftpPort, DeviceItl, itl => true, TimeSpan.FromSeconds(10));
        var itlRecovery = await DerAsync(admin, "cucm-pub", "ITLRecovery");
        var served = new Dictionary<(int, string), byte[]>();
        foreach (var node in new[] { pub, sub })
        {
            foreach (var name in new[] { Itl, DeviceItl, $"SEP{Mac}.cnf.xml.sgn" })
            {
                served[(node.TftpPort, name)] = await FetchAsync(node.TftpPort, name);
            }
        }

        var callManager = await DerAsync(admin, "cucm-pub", "CallManager");
        Assert.Equal(TvsStatus.Valid, await TvsVerifyAsync(pub.Host.TvsPort, callManager));

        // 1. The database goes away: no new sessions, every open one killed.
        await AdminSqlAsync(server, $"ALTER DATABASE \"{databaseName}\" WITH ALLOW_CONNECTIONS false");
        await AdminSqlAsync(server, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{databaseName}'");

        // Phones keep booting from what each node has loaded.
        foreach (var ((port, name), bytes) in served)
        {
            Assert.Equal(bytes, await FetchAsync(port, name));
        }

        // TVS answers new connections from the trust it has loaded.
        Assert.Equal(TvsStatus.Valid, await TvsVerifyAsync(pub.Host.TvsPort, callManager));

        // A change is refused with an answer, not a hang or a dead process.
        var refused = await admin.PostAsync("/api/nodes/cucm-pub/certificates/TVS/regenerate?confirm=true", null, Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("Database unavailable", problem.GetProperty("title").GetString());
        Assert.DoesNotContain(databaseName, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("failed in the database; answered 503", pub.Host.Output, StringComparison.Ordinal);
        Assert.False(pub.Host.HasExited || sub.Host.HasExited, pub.Host.Output + sub.Host.Output);

        // 2. It comes back; the nodes' change listeners reconnect within a second or two.
        await AdminSqlAsync(server, $"ALTER DATABASE \"{databaseName}\" WITH ALLOW_CONNECTIONS true");
        var oldTvs = await RetryAsync(() => DerAsync(admin, "cucm-pub", "TVS"));
        for (var i = 0; i < 200 && await PostgresSessions.CountListenersAsync(database, Ct) < 2; i++)
        {
            await Task.Delay(50, Ct);
        }

        Assert.Equal(2, await PostgresSessions.CountListenersAsync(database, Ct));

        // 3. The subscriber goes deaf (its LISTEN session dies, as in a restart) and the publisher commits a new TVS
        //    certificate before the subscriber listens again: NOTIFY never reaches it, the reconnect must make up for it.
        await PostgresSessions.TerminateListenersAsync(database, Ct);
        await RetryAsync(async () =>
        {
            var regenerated = await admin.PostAsync("/api/nodes/cucm-pub/certificates/TVS/regenerate?confirm=true", null, Ct);
            return regenerated.EnsureSuccessStatusCode(); // 503 on a pooled connection the outage killed: try again
        });
        var newTvs = await RetryAsync(() => DerAsync(admin, "cucm-pub", "TVS"));
        Assert.False(newTvs.AsSpan().SequenceEqual(oldTvs));
        await WaitForAsync(sub.TftpPort, Itl,
            bytes => Parse(bytes, itlRecovery).Records.Any(r => r.Role == TrustRole.Tvs && Is(r, newTvs)),
            TimeSpan.FromSeconds(10));
    }

    private static async Task<TvsStatus> TvsVerifyAsync(int port, byte[] certificate)
    {
        await using var client = await TvsClient.ConnectAsync("127.0.0.1", port, new TvsClientOptions(), Ct);
        return (await client.VerifyAsync("CP-8861-SEP" + Mac, certificate, Ct)).Status;
    }

    private static async Task AdminSqlAsync(PostgresServer server, string sql)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    /// <summary>Pooled connections killed during the outage fail once each before the pool replaces them.</summary>
    private static async Task<T> RetryAsync<T>(Func<Task<T>> action)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action();
            }
            catch (HttpRequestException) when (attempt < 10)
            {
                await Task.Delay(300, Ct);
            }
        }
    }

    private async Task<Node> StartNodeAsync(string name, string database)
    {
        var dataDir = Directory.CreateTempSubdirectory("sbd-2node-").FullName;
        _dataDirs.Add(dataDir);
        var host = HostProcess.Start(dataDir, new Dictionary<string, string?>
        {
            ["Sbd__Database__Provider"] = "Postgres",
            ["ConnectionStrings__Sbd"] = Pooled(database),
            ["Sbd__Node__Name"] = name,
            ["Sbd__Node__Fqdn"] = name + ".lab.example",
            ["Sbd__Node__Address"] = "127.0.0.1",
            ["Tftp__Address"] = "127.0.0.1",
        });
        _hosts.Add(host);
        Assert.True(await host.WaitHealthyAsync(Ct), $"{name} exited with {(host.HasExited ? host.ExitCode : 0)}:\n{host.Output}");
        return new Node(host, host.TftpPort, host.TftpHttpPort);
    }

    /// <summary>
    /// Npgsql's default (pooling on), as a deployment runs it. The test server hands out unpooled strings; unpooled,
    /// every rebuild of the catalogue opens new physical connections, measured at 0.6-0.9 s per rebuild on a loaded
    /// machine against ~0.1 s pooled (runbook, "PostgreSQL and several nodes").
    /// </summary>
    private static string Pooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = true }.ConnectionString;

    private static async Task<byte[]> FetchAsync(int port, string name) =>
        await GetAsync(port, name) ?? throw new Xunit.Sdk.XunitException($"{name} not found on TFTP port {port}.");

    /// <summary>The product's own TFTP reader (the one alternate file locations use); null on "file not found".</summary>
    private static Task<byte[]?> GetAsync(int port, string name) =>
        TftpDownloadClient.DownloadAsync(new IPEndPoint(IPAddress.Loopback, port), name, TimeSpan.FromSeconds(2), 1 << 20, Ct);

    private static async Task WaitForAsync(int port, string name, Func<byte[], bool> ready, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(deadline) < timeout)
        {
            if (await GetAsync(port, name) is { } bytes && ready(bytes))
            {
                return;
            }

            await Task.Delay(50, Ct);
        }

        throw new Xunit.Sdk.XunitException($"{name} was not served on TFTP port {port} within {timeout}.");
    }

    /// <summary>Parses a trust list and checks its signature with the cluster's ITLRecovery (the signer in ITLRecovery mode).</summary>
    private static TrustListFile Parse(byte[] bytes, byte[] signerDer)
    {
        var itl = TrustListCodec.Parse(bytes);
        using var signer = X509CertificateLoader.LoadCertificate(signerDer);
        using var key = signer.GetRSAPublicKey()!;
        var hash = itl.Header.HashAlgorithm == HashAlgorithmCode.Sha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA1;
        Assert.True(key.VerifyData(itl.Signed.SignedBytes, itl.Header.Signature, hash, RSASignaturePadding.Pkcs1),
            "The ITL does not verify with the ITLRecovery certificate.");
        Assert.Contains(itl.Records, r => r.Role == TrustRole.Sast && Is(r, signerDer));
        return itl;
    }

    /// <summary>Full records carry the certificate; the others (TVS, CAPF) its SHA-1 hash.</summary>
    private static bool Is(TrustListRecord record, byte[] der) =>
        record.Certificate is { } full
            ? full.AsSpan().SequenceEqual(der)
            : record.CertificateHash is { } hash && hash.AsSpan().SequenceEqual(SHA1.HashData(der));

    private static List<string> Shared(TrustListFile itl) =>
        [.. itl.Records.Where(r => r.Role != TrustRole.Tftp && !(r.Role == TrustRole.Sast && r.SubjectName.Contains("CN=cucm-", StringComparison.Ordinal)))
            .Select(r => $"{r.Role} {r.SubjectName} {Convert.ToHexString(r.SerialNumber)} " +
                Convert.ToHexString(r.Certificate is { } der ? SHA1.HashData(der) : r.CertificateHash!))
            .Order(StringComparer.Ordinal)];

    private static async Task<byte[]> DerAsync(HttpClient admin, string node, string name) =>
        X509Certificate2.CreateFromPem(await admin.GetStringAsync($"/api/nodes/{node}/certificates/{name}/pem", Ct)).RawData;

    private sealed record Node(HostProcess Host, int TftpPort, int HttpPort);

    private sealed record AuditRow(string Action, string Target, string Details);
}
