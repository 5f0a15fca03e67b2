using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SbdServer.Capf;
using SbdServer.Crypto.Encryption;
using SbdServer.Phone.Capf;
using SbdServer.Wire.Capf;
using SbdServer.Wire.Itl;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>
/// CAPF on a real host over real TLS on loopback: each operation and authentication mode driven by the emulated
/// phone's client, the device's status and LSC through the API, and every malformed input closing the connection.
/// </summary>
public sealed class CapfIntegrationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Node = "cucm-pub";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private int Port => factory.Services.GetRequiredService<CapfHostedService>().Server!.LocalEndPoint.Port;

    [Fact]
    public async Task Install_NullString_IssuesLscFromCapf_AttachesItForTheEncryptedConfig()
    {
        using var admin = factory.Admin();
        const string Name = "SEP0C0000000001";
        await CreateDeviceAsync(admin, Name);
        await ScheduleAsync(admin, Name, new { operation = "Install", authMode = "NullString", keyType = "RSA", keySize = 2048 });

        var result = await RunAsync(new CapfEnrollment(Name));

        Assert.Equal(CapfClientOutcome.Installed, result.Outcome);
        Assert.Equal(1, result.EndReason);
        using var capf = await CertificateAsync(admin, "CAPF");
        using var lsc = X509Certificate2.CreateFromPem(result.LscPem!, result.LscPem!);
        Assert.Equal("CN=" + Name, lsc.Subject);
        Assert.Equal(capf.SubjectName.RawData, lsc.IssuerName.RawData);
        Assert.Equal("sha256RSA", lsc.SignatureAlgorithm.FriendlyName);
        Assert.Equal(2048, lsc.GetRSAPublicKey()!.KeySize);
        Assert.False(lsc.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment,
            lsc.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.Equal(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.5"],
            lsc.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value!).ToArray());

        var device = await DeviceAsync(admin, Name);
        var capfView = device.GetProperty("capf");
        Assert.Equal("None", capfView.GetProperty("operation").GetString());
        Assert.Equal("Upgrade Success", capfView.GetProperty("status").GetString());
        Assert.Equal(lsc.SerialNumber, device.GetProperty("lsc").GetProperty("serialNumber").GetString());
        var md5 = Convert.ToHexStringLower(MD5.HashData(lsc.RawData));
        Assert.Equal(md5, device.GetProperty("certificate").GetProperty("md5").GetString());

        // The encrypted config is wrapped for the new LSC at once: its key opens it.
        await SetEncryptedAsync(admin, Name);
        var encSgn = Wire.EncSgn.EncSgnCodec.Parse(await FileAsync(admin, Name + ".cnf.xml.enc.sgn"));
        using var key = lsc.GetRSAPrivateKey()!;
        Assert.Contains("<device", Encoding.UTF8.GetString(ConfigEncryptor.Decrypt(encSgn, key)), StringComparison.Ordinal);
        Assert.Contains(md5, Encoding.UTF8.GetString(Wire.Sgn.SgnCodec.Parse(await FileAsync(admin, Name + ".cnf.xml.sgn")).Body.Span),
            StringComparison.Ordinal);

        var session = (await SessionsAsync(admin, Name))[0];
        Assert.Equal("Installed", session.GetProperty("outcome").GetString());
        Assert.Equal("NullString", session.GetProperty("authMode").GetString());
        Assert.Equal(lsc.SerialNumber, session.GetProperty("lscSerial").GetString());
    }

    [Fact]
    public async Task Install_AuthenticationString_WrongIsRefusedAndCounted_RightInstallsEc()
    {
        using var admin = factory.Admin();
        const string Name = "SEP0C0000000002";
        await CreateDeviceAsync(admin, Name);
        await ScheduleAsync(admin, Name, new { operation = "Install", authMode = "AuthenticationString", authString = "123456", keyType = "EC", keySize = 384 });
        var before = factory.Services.GetRequiredService<Core.Capf.CapfCounters>().WrongAuthStrings;

        var wrong = await RunAsync(new CapfEnrollment(Name, "654321"));

        Assert.Equal(CapfClientOutcome.Refused, wrong.Outcome);
        Assert.Equal(7, wrong.EndReason);
        Assert.Equal(before + 1, factory.Services.GetRequiredService<Core.Capf.CapfCounters>().WrongAuthStrings);
        var failed = (await DeviceAsync(admin, Name)).GetProperty("capf");
        Assert.Equal("Upgrade Failed", failed.GetProperty("status").GetString());
        Assert.Equal("wrong authentication string", failed.GetProperty("statusReason").GetString());
        Assert.Equal(1, failed.GetProperty("failedAttempts").GetInt32());
        Assert.Equal("Install", failed.GetProperty("operation").GetString());
        Assert.False(failed.TryGetProperty("authString", out _));
        Assert.Contains("sbd_capf_wrong_auth_strings_total", await admin.GetStringAsync("/metrics", Ct), StringComparison.Ordinal);

        var right = await RunAsync(new CapfEnrollment(Name, "123456"));

        Assert.Equal(CapfClientOutcome.Installed, right.Outcome);
        using var lsc = X509Certificate2.CreateFromPem(right.LscPem!, right.LscPem!);
        Assert.Equal(384, lsc.GetECDsaPublicKey()!.KeySize);
        var device = await DeviceAsync(admin, Name);
        Assert.Equal("Upgrade Success", device.GetProperty("capf").GetProperty("status").GetString());
        Assert.Equal("EC", device.GetProperty("lsc").GetProperty("keyAlgorithm").GetString());
        Assert.Equal("AuthenticationString", (await SessionsAsync(admin, Name))[0].GetProperty("authMode").GetString());
    }

    [Fact]
    public async Task ExistingCertificate_LscThenFetch_MicFromCapfTrustInstalls_UnknownIssuerRefused()
    {
        using var admin = factory.Admin();
        const string Name = "SEP0C0000000003";
        await CreateDeviceAsync(admin, Name);
        await ScheduleAsync(admin, Name, new { operation = "Install", authMode = "NullString" });
        var first = await RunAsync(new CapfEnrollment(Name));
        using var lsc = X509Certificate2.CreateFromPem(first.LscPem!, first.LscPem!);

        // By existing certificate with the LSC: Troubleshoot returns it.
        await ScheduleAsync(admin, Name, new { operation = "Fetch", authMode = "ExistingCertificate" });
        var fetched = await RunAsync(new CapfEnrollment(Name, Certificate: lsc, HasLsc: true));
        Assert.Equal(CapfClientOutcome.Fetched, fetched.Outcome);
        Assert.Equal("LSC", (await SessionsAsync(admin, Name))[0].GetProperty("authMode").GetString());
        Assert.Equal("Troubleshoot Success", (await DeviceAsync(admin, Name)).GetProperty("capf").GetProperty("status").GetString());

        // A MIC from a manufacturing CA that is not in CAPF-trust is refused.
        using var manufacturing = MakeCa("CN=Stand-in Manufacturing CA " + Guid.NewGuid().ToString("N")[..8]);
        using var mic = MakeMic(manufacturing, "CP-8861-" + Name);
        await ScheduleAsync(admin, Name, new { operation = "Install", authMode = "ExistingCertificate" });
        var refused = await RunAsync(new CapfEnrollment(Name, Certificate: mic));
        Assert.Equal(CapfClientOutcome.Refused, refused.Outcome);
        Assert.Equal("AuthenticationFailed", (await SessionsAsync(admin, Name))[0].GetProperty("outcome").GetString());

        // Once the CA is in CAPF-trust the same MIC authenticates an install.
        var upload = await admin.PostAsync("/api/trust/CAPF-trust",
            new StringContent(manufacturing.ExportCertificatePem(), Encoding.ASCII, "application/x-pem-file"), Ct);
        Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync(Ct));
        var installed = await RunAsync(new CapfEnrollment(Name, Certificate: mic));
        Assert.Equal(CapfClientOutcome.Installed, installed.Outcome);
        Assert.Equal("MIC", (await SessionsAsync(admin, Name))[0].GetProperty("authMode").GetString());

        // A signature that does not match the certificate is refused even for a known LSC.
        await ScheduleAsync(admin, Name, new { operation = "Fetch", authMode = "ExistingCertificate" });
        using var stranger = MakeMic(manufacturing, "CP-8861-SEP0C00000000FF");
        Assert.Equal(CapfClientOutcome.Refused, (await RunAsync(new CapfEnrollment(Name, Certificate: stranger))).Outcome);
    }

    [Fact]
    public async Task Delete_RemovesTheLsc_EncryptedConfigFallsBackToTheMicSeen()
    {
        using var admin = factory.Admin();
        const string Name = "SEP0C0000000004";
        await CreateDeviceAsync(admin, Name);
        await ScheduleAsync(admin, Name, new { operation = "Install", authMode = "NullString" });
        var installed = await RunAsync(new CapfEnrollment(Name));
        using var lsc = X509Certificate2.CreateFromPem(installed.LscPem!, installed.LscPem!);
        Assert.NotEqual(JsonValueKind.Null, (await DeviceAsync(admin, Name)).GetProperty("lsc").ValueKind);

        await ScheduleAsync(admin, Name, new { operation = "Delete", authMode = "NullString" });
        var deleted = await RunAsync(new CapfEnrollment(Name, Certificate: lsc, HasLsc: true));

        Assert.Equal(CapfClientOutcome.Deleted, deleted.Outcome);
        Assert.Equal(1, deleted.EndReason);
        var device = await DeviceAsync(admin, Name);
        Assert.Equal("Delete Success", device.GetProperty("capf").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, device.GetProperty("lsc").ValueKind);
        Assert.Equal(JsonValueKind.Null, device.GetProperty("certificate").ValueKind);
        await SetEncryptedAsync(admin, Name);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/files/{Name}.cnf.xml.enc.sgn", Ct)).StatusCode);
    }

    [Fact]
    public async Task NothingScheduled_EndsWithZero_UnknownDeviceWithNine_DeadlinePassedRefuses()
    {
        using var admin = factory.Admin();
        const string Name = "SEP0C0000000005";
        await CreateDeviceAsync(admin, Name);

        var none = await RunAsync(new CapfEnrollment(Name));
        Assert.Equal(CapfClientOutcome.NoOperation, none.Outcome);
        Assert.Equal(0, none.EndReason);

        var unknown = await RunAsync(new CapfEnrollment("SEP0C00000000EE"));
        Assert.Equal(CapfClientOutcome.UnknownDevice, unknown.Outcome);
        Assert.Equal(9, unknown.EndReason);
        Assert.Equal("UnknownDevice", (await SessionsAsync(admin, "SEP0C00000000EE"))[0].GetProperty("outcome").GetString());

        var deadline = DateTimeOffset.UtcNow.AddSeconds(1);
        await ScheduleAsync(admin, Name, new { operation = "Install", authMode = "NullString", completesBy = deadline });
        while (DateTimeOffset.UtcNow <= deadline)
        {
            await Task.Delay(100, Ct);
        }

        var late = await RunAsync(new CapfEnrollment(Name));
        Assert.Equal(CapfClientOutcome.Refused, late.Outcome);
        var capf = (await DeviceAsync(admin, Name)).GetProperty("capf");
        Assert.Equal("Upgrade Failed", capf.GetProperty("status").GetString());
        Assert.Contains("deadline", capf.GetProperty("statusReason").GetString(), StringComparison.Ordinal);
        Assert.Equal("None", capf.GetProperty("operation").GetString());
        Assert.Equal("DeadlinePassed", (await SessionsAsync(admin, Name))[0].GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Settings_AreValidated_AndBulkSchedulesAllOrNone()
    {
        using var admin = factory.Admin();
        await CreateDeviceAsync(admin, "SEP0C0000000006");
        await CreateDeviceAsync(admin, "SEP0C0000000007");

        foreach (var (body, why) in new (object, string)[]
        {
            (new { operation = "Install", authMode = "AuthenticationString" }, "authString"),
            (new { operation = "Install", authMode = "AuthenticationString", authString = "12" }, "4 to 10 digits"),
            (new { operation = "Install", keyType = "RSA", keySize = 3000 }, "1024, 2048, 4096"),
            (new { operation = "Install", keyType = "EC", keySize = 2048 }, "256, 384, 521"),
            (new { operation = "Reinstall" }, "Install, Fetch, Delete or None"),
            (new { operation = "Install", completesBy = DateTimeOffset.UtcNow.AddDays(-1) }, "already passed"),
        })
        {
            var response = await admin.PutAsJsonAsync("/api/devices/SEP0C0000000006/capf", body, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(why, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        var missing = await admin.PutAsJsonAsync("/api/devices/capf",
            new { devices = new[] { "SEP0C0000000006", "SEP0C00000000DD" }, operation = "Install", authMode = "NullString" }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("None", (await DeviceAsync(admin, "SEP0C0000000006")).GetProperty("capf").GetProperty("operation").GetString());

        var bulk = await admin.PutAsJsonAsync("/api/devices/capf",
            new { devices = new[] { "SEP0C0000000006", "sep0c0000000007" }, operation = "Install", authMode = "NullString", keySize = 1024 }, Ct);
        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);
        foreach (var name in new[] { "SEP0C0000000006", "SEP0C0000000007" })
        {
            var capf = (await DeviceAsync(admin, name)).GetProperty("capf");
            Assert.Equal("Install", capf.GetProperty("operation").GetString());
            Assert.Equal("Pending", capf.GetProperty("status").GetString());
            Assert.Equal(1024, capf.GetProperty("keySize").GetInt32());
        }

        Assert.Contains("device.capf", await (await admin.GetAsync("/api/audit?max=20", Ct)).Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Regeneration_ListenerPresentsNewCapf_ItlCapfRecordFollows_NewLscsChainToIt()
    {
        using var admin = factory.Admin();
        using var before = await CertificateAsync(admin, "CAPF");
        var constraints = before.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.HasPathLengthConstraint);
        Assert.Equal(0, constraints.PathLengthConstraint);
        Assert.True(before.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));

        var regenerate = await admin.PostAsync($"/api/nodes/{Node}/certificates/CAPF/regenerate?confirm=true", null, Ct);
        Assert.True(regenerate.IsSuccessStatusCode, await regenerate.Content.ReadAsStringAsync(Ct));
        using var after = await CertificateAsync(admin, "CAPF");
        Assert.NotEqual(before.RawData, after.RawData);

        var itl = TrustListCodec.Parse(await FileAsync(admin, "ITLFile.tlv"));
        var record = itl.Records.Single(r => r.Role == TrustRole.Capf);
        Assert.Equal(SHA1.HashData(after.RawData), record.CertificateHash);

        const string Name = "SEP0C0000000008";
        await CreateDeviceAsync(admin, Name);
        await ScheduleAsync(admin, Name, new { operation = "Install", authMode = "NullString" });
        var pinnedToOld = new CapfClientOptions { ExpectedServerCertificateHash = SHA1.HashData(before.RawData) };
        await Assert.ThrowsAsync<CapfClientException>(() =>
            CapfClient.RunAsync("127.0.0.1", Port, new CapfEnrollment(Name), pinnedToOld, Ct));

        var result = await RunAsync(new CapfEnrollment(Name));
        using var lsc = X509Certificate2.CreateFromPem(result.LscPem!, result.LscPem!);
        Assert.Equal(after.SubjectName.RawData, lsc.IssuerName.RawData);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(after);
        Assert.True(chain.Build(lsc), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "wrong protocol id", "56 02 {sid} 0000" },
        { "unknown command", "55 63 {sid} 0000" },
        { "response expected, request sent", "55 03 {sid} 0000" },
        { "session id not echoed", "55 02 00000000 0000" },
        { "declared length over the limit", "55 02 {sid} FFFF" },
        { "element header truncated", "55 02 {sid} 0002 0D00" },
        { "element longer than the body", "55 02 {sid} 0005 0D0010 4142" },
        { "element not allowed in AUTH_RESPONSE", "55 02 {sid} 0004 090001 00" },
        { "element repeated", "55 02 {sid} 0008 070001 03 070001 03" },
        { "fixed-length element of the wrong length", "55 02 {sid} 0005 070002 0303" },
        { "device name missing", "55 02 {sid} 0004 070001 03" },
        { "device name with a control character", "55 02 {sid} 000E 070001 03 0D0007 5345500A303100" },
        { "NUL inside the device name", "55 02 {sid} 000D 070001 03 0D0006 534500503100" },
        { "certificate wrapper broken", "55 02 {sid} 0017 070001 03 0D0005 5345503100 040008 0200060001308201" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task MalformedMessage_ClosesWithoutAnswer_AndIsLogged(string why, string hex)
    {
        using var admin = factory.Admin();
        await using var raw = await RawConnection.OpenAsync(Port);
        var message = Convert.FromHexString(hex.Replace("{sid}", raw.SessionId.ToString("X8"), StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal));

        await raw.Tls.WriteAsync(message, Ct);

        Assert.True(await raw.ClosedWithoutAnswerAsync(), why);
        var session = (await admin.GetFromJsonAsync<JsonElement[]>("/api/capf/sessions?max=20", Ct))!
            .First(s => s.GetProperty("sessionId").GetUInt32() == raw.SessionId);
        Assert.Equal("ProtocolViolation", session.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task SilentClient_TimesOut_WhileOthersAreServed_PerIpLimitRefusesTheNinth()
    {
        using var admin = factory.Admin();
        const string Name = "SEP0C0000000009";
        await CreateDeviceAsync(admin, Name);
        await using var silent = await RawConnection.OpenAsync(Port);

        Assert.Equal(CapfClientOutcome.NoOperation, (await RunAsync(new CapfEnrollment(Name))).Outcome);
        Assert.True(await silent.ClosedWithoutAnswerAsync());
        var record = (await admin.GetFromJsonAsync<JsonElement[]>("/api/capf/sessions?max=50", Ct))!
            .First(s => s.GetProperty("sessionId").GetUInt32() == silent.SessionId);
        Assert.Equal("TimedOut", record.GetProperty("outcome").GetString());

        // Capf:MaxConnectionsPerIp is 8 in the test host: the ninth connection is reset before any TLS.
        var open = new List<RawConnection>();
        try
        {
            for (var i = 0; i < 8; i++)
            {
                open.Add(await RawConnection.OpenAsync(Port));
            }

            await Assert.ThrowsAnyAsync<Exception>(() => RawConnection.OpenAsync(Port));
            Assert.True(factory.Services.GetRequiredService<Core.Capf.CapfCounters>().RejectedPerIp >= 1);
        }
        finally
        {
            foreach (var connection in open)
            {
                await connection.DisposeAsync();
            }
        }
    }

    internal static X509Certificate2 MakeCa(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
    }

    internal static X509Certificate2 MakeMic(X509Certificate2 ca, string commonName)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5), RandomNumberGenerator.GetBytes(8));
        return issued.CopyWithPrivateKey(key);
    }

    private async Task<CapfClientResult> RunAsync(CapfEnrollment phone)
    {
        using var admin = factory.Admin();
        using var capf = await CertificateAsync(admin, "CAPF");
        var options = new CapfClientOptions { ExpectedServerCertificateHash = SHA1.HashData(capf.RawData) };
        return await CapfClient.RunAsync("127.0.0.1", Port, phone, options, Ct);
    }

    private static async Task ScheduleAsync(HttpClient admin, string name, object body)
    {
        var response = await admin.PutAsJsonAsync($"/api/devices/{name}/capf", body, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task SetEncryptedAsync(HttpClient admin, string name)
    {
        var response = await admin.PutAsJsonAsync($"/api/devices/{name}", new { securityProfile = "Encrypted", encryptedConfig = true }, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<JsonElement> DeviceAsync(HttpClient admin, string name) =>
        await admin.GetFromJsonAsync<JsonElement>($"/api/devices/{name}", Ct);

    private static async Task<JsonElement[]> SessionsAsync(HttpClient admin, string name) =>
        (await admin.GetFromJsonAsync<JsonElement[]>($"/api/capf/sessions?device={name}", Ct))!;

    private static async Task<byte[]> FileAsync(HttpClient admin, string name)
    {
        var response = await admin.GetAsync($"/api/files/{name}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    private static async Task<X509Certificate2> CertificateAsync(HttpClient admin, string name) =>
        X509Certificate2.CreateFromPem(await admin.GetStringAsync($"/api/nodes/{Node}/certificates/{name}/pem", Ct));

    private static async Task CreateDeviceAsync(HttpClient admin, string name)
    {
        var response = await admin.PostAsJsonAsync("/api/devices", new { name, model = "8861" }, Ct);
        Assert.True(response.StatusCode is HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>A hand-driven CAPF connection: TLS up, the server's AUTH_REQUEST read, then whatever the test sends.</summary>
    internal sealed class RawConnection : IAsyncDisposable
    {
        private readonly TcpClient _tcp;

        private RawConnection(TcpClient tcp, SslStream tls, uint sessionId)
        {
            _tcp = tcp;
            Tls = tls;
            SessionId = sessionId;
        }

        public SslStream Tls { get; }

        public uint SessionId { get; }

        public static async Task<RawConnection> OpenAsync(int port)
        {
            var tcp = new TcpClient();
            try
            {
                await tcp.ConnectAsync(IPAddress.Loopback, port, Ct);
                // The hostile-client tests are about framing, not trust: any server certificate will do.
#pragma warning disable CA5359
                var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
#pragma warning restore CA5359
                await tls.AuthenticateAsClientAsync("capf", null, System.Security.Authentication.SslProtocols.None, false);
                var header = new byte[CapfHeader.Size];
                await tls.ReadExactlyAsync(header, Ct);
                CapfHeader.TryRead(header, out var parsed);
                var body = new byte[parsed.BodyLength];
                await tls.ReadExactlyAsync(body, Ct);
                Assert.Equal(CapfCommand.AuthRequest, CapfCodec.Read(parsed, body).Command);
                return new RawConnection(tcp, tls, parsed.SessionId);
            }
            catch
            {
                tcp.Dispose();
                throw;
            }
        }

        /// <summary>True when the server closes (or resets) without sending a byte, within 10 s.</summary>
        public async Task<bool> ClosedWithoutAnswerAsync()
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                return await Tls.ReadAsync(new byte[1], timeout.Token) == 0;
            }
            catch (IOException)
            {
                return true;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Tls.DisposeAsync();
            _tcp.Dispose();
        }
    }
}
