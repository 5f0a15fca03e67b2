using System.Net.Sockets;
using System.Security.Cryptography;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Tvs;
using SbdServer.Tvs.Tests.Support;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Tvs;
using Xunit;

namespace SbdServer.Tvs.Tests;

/// <summary>The listener over real TLS on loopback.</summary>
public class TvsServerTests
{
    private const string Device = "CP-7962-SEP0011215A1AE3";
    private const int ProtocolViolationEvent = 2010;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, byte[]> StoresWithRoles => new()
    {
        { "CallManager", [2, 0] },
        { "Phone-SAST-trust", [0, 3] },
        { "tomcat", [7] },
        { "tomcat-trust", [7] },
        { "Phone-trust", [7] },
        { "Phone-CTL-trust", [7] },
        { "ipsec", [7] },
        { "CAPF", [4] },
        { "TVS", [21] },
        { "Phone-VPN-trust", [26] },
    };

    [Theory]
    [MemberData(nameof(StoresWithRoles))]
    public async Task Verify_KnownCertificateOfStore_ValidWithRolesAndTtl(string store, byte[] roles)
    {
        await using var server = await TvsTestServer.StartAsync();
        var der = TestPki.SelfSigned("CN=" + store + ".example");
        server.Trust.Add(store, der);
        await using var connection = await RawTvsConnection.OpenAsync(server.Port);

        await connection.SendAsync(TvsCodec.Write(new TvsVerifyRequest(77, Device, der)));
        var (header, raw, response) = await connection.ReadResponseAsync();

        Assert.Equal(TvsCommand.VerifyResponse, header.Command);
        Assert.Equal(77u, header.SessionId);
        Assert.Equal(TvsStatus.Valid, response.Status);
        Assert.Equal(roles, response.Roles.ToArray());
        Assert.Equal(86400u, response.TtlSeconds);
        Assert.True(response.Certificate.IsEmpty);

        // STATUS, ROLES, TTL in that order, nothing else.
        var expectedBody = "07000100" + "0800" + roles.Length.ToString("X2") + Convert.ToHexString(roles) + "09000400015180";
        Assert.Equal(expectedBody, Convert.ToHexString(raw.AsSpan(TvsHeader.Size)));
    }

    [Fact]
    public async Task Verify_CertificateWithOwnTtl_ThatTtl()
    {
        await using var server = await TvsTestServer.StartAsync();
        var der = TestPki.SelfSigned("CN=short.example");
        server.Trust.Add(StoreRoles.TomcatTrust, der, ttlSeconds: 600);
        await using var connection = await RawTvsConnection.OpenAsync(server.Port);

        await connection.SendAsync(TvsCodec.Write(new TvsVerifyRequest(1, Device, der)));

        Assert.Equal(600u, (await connection.ReadResponseAsync()).Response.TtlSeconds);
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData("CallManager-trust only")]
    [InlineData("expired")]
    public async Task Verify_UntrustedCertificate_StatusOneAlone(string kind)
    {
        await using var server = await TvsTestServer.StartAsync();
        var der = kind == "expired"
            ? TestPki.Leaf("CN=old.example", null, DateTimeOffset.UtcNow.AddYears(-2), DateTimeOffset.UtcNow.AddDays(-1))
            : TestPki.SelfSigned("CN=other.example");
        if (kind != "unknown")
        {
            server.Trust.Add(kind == "expired" ? StoreRoles.TomcatTrust : StoreRoles.CallManagerTrust, der);
        }

        await using var connection = await RawTvsConnection.OpenAsync(server.Port);
        await connection.SendAsync(TvsCodec.Write(new TvsVerifyRequest(0x3E9, Device, der)));
        var (_, raw, _) = await connection.ReadResponseAsync();

        Assert.Equal("570102F7000003E90004" + "07000101", Convert.ToHexString(raw));
    }

    [Theory]
    [InlineData("CN=stormin-WIN2012-CA")]
    [InlineData("CN=stormin-WIN2012-CA, OU=PKI, O=Stormin")]
    [InlineData("CN=stormin-WIN2012-CA;OU=PKI;O=Stormin")]
    public async Task Query_BySerialAndIssuer_ReturnsCertificateRolesTtl(string issuerAsPhoneWritesIt)
    {
        await using var server = await TvsTestServer.StartAsync();
        var serial = Convert.FromHexString("24000000179479B8F124AC3F3B000000000017");
        var der = LeafFrom(issuerAsPhoneWritesIt, serial);
        server.Trust.Add(StoreRoles.PhoneSastTrust, der);
        await using var connection = await RawTvsConnection.OpenAsync(server.Port);

        await connection.SendAsync(TvsCodec.Write(new TvsQueryRequest(
            0x3E9, "CP-8861-SEPB000B4BA0AEE", "CN=ucm11pub.stormin.local;OU=IST;O=Stormin;L=Brisbane;ST=QLD;C=AU",
            issuerAsPhoneWritesIt, serial)));
        var (header, raw, response) = await connection.ReadResponseAsync();

        Assert.Equal(TvsCommand.QueryResponse, header.Command);
        Assert.Equal(TvsHeader.CucmResponseReserved, header.Reserved);
        Assert.Equal(TvsStatus.Valid, response.Status);
        Assert.Equal(der, response.Certificate.ToArray());
        Assert.Equal([0, 3], response.Roles.ToArray());
        Assert.Equal(86400u, response.TtlSeconds);
        Assert.Equal(4 + 3 + der.Length + 5 + 7, header.BodyLength);
        Assert.Equal("070001000" + "2", Convert.ToHexString(raw, TvsHeader.Size, 5)[..10]);
    }

    [Fact]
    public async Task Query_UnknownSerial_StatusOneAlone()
    {
        await using var server = await TvsTestServer.StartAsync();
        server.Trust.Add(StoreRoles.PhoneSastTrust, TestPki.Leaf("CN=known", [0x11, 0x22]));
        await using var connection = await RawTvsConnection.OpenAsync(server.Port);

        await connection.SendAsync(TvsCodec.Write(new TvsQueryRequest(5, Device, null, TestPki.CaName, new byte[] { 0x11, 0x23 })));
        var (_, raw, _) = await connection.ReadResponseAsync();

        Assert.Equal("570104F7000000050004" + "07000101", Convert.ToHexString(raw));
    }

    [Fact]
    public async Task Verify_RequestSentByteByByte_Answered()
    {
        await using var server = await TvsTestServer.StartAsync();
        var der = TestPki.SelfSigned("CN=slow.example");
        server.Trust.Add(StoreRoles.TomcatTrust, der);
        await using var connection = await RawTvsConnection.OpenAsync(server.Port);
        var request = TvsCodec.Write(new TvsVerifyRequest(3, Device, der));

        foreach (var b in request)
        {
            await connection.SendAsync([b]);
        }

        Assert.Equal(TvsStatus.Valid, (await connection.ReadResponseAsync()).Response.Status);
    }

    [Fact]
    public async Task Requests_SeveralInOneWrite_AnsweredInOrder()
    {
        await using var server = await TvsTestServer.StartAsync();
        var known = TestPki.SelfSigned("CN=known.example");
        var signer = TestPki.Leaf("CN=signer", [0x42]);
        server.Trust.Add(StoreRoles.TomcatTrust, known);
        server.Trust.Add(StoreRoles.CallManager, signer);
        await using var connection = await RawTvsConnection.OpenAsync(server.Port);

        await connection.SendAsync([
            .. TvsCodec.Write(new TvsVerifyRequest(10, Device, known)),
            .. TvsCodec.Write(new TvsVerifyRequest(11, Device, TestPki.SelfSigned("CN=unknown"))),
            .. TvsCodec.Write(new TvsQueryRequest(12, Device, "CN=signer", TestPki.CaName, new byte[] { 0x42 })),
        ]);
        var first = await connection.ReadResponseAsync();
        var second = await connection.ReadResponseAsync();
        var third = await connection.ReadResponseAsync();

        Assert.Equal((10u, TvsStatus.Valid), (first.Header.SessionId, first.Response.Status));
        Assert.Equal((11u, TvsStatus.Invalid), (second.Header.SessionId, second.Response.Status));
        Assert.Equal((12u, TvsStatus.Valid), (third.Header.SessionId, third.Response.Status));
        Assert.Equal(signer, third.Response.Certificate.ToArray());
        Assert.Equal([2, 0], third.Response.Roles.ToArray());
    }

    [Theory]
    [InlineData("5801010000000001" + "0000", "protocol id")]
    [InlineData("5702010000000001" + "0000", "version")]
    [InlineData("5701090000000001" + "0000", "unknown command")]
    [InlineData("5701020000000001" + "0000", "response sent as request")]
    [InlineData("5701010000000001" + "0007" + "01000501414243", "truncated element")]
    [InlineData("5701010000000001" + "EA60", "oversized length")]
    [InlineData("5701010000000001" + "000A" + "01000401414243" + "060000", "unknown element")]
    [InlineData("5701010000000001" + "0007" + "01000401414243", "verify without certificate")]
    public async Task Request_Malformed_ClosedWithoutAnswerAndLoggedOnce(string hex, string because)
    {
        await using var server = await TvsTestServer.StartAsync();
        await using var connection = await RawTvsConnection.OpenAsync(server.Port);

        await connection.SendAsync(Convert.FromHexString(hex));
        var received = await connection.ReadUntilClosedAsync(TimeSpan.FromSeconds(4));

        Assert.True(received == 0, $"{because}: {received} bytes received before close (-1 = not closed)");
        await WaitForAsync(() => server.Logs.Count(ProtocolViolationEvent) == 1);
        await Task.Delay(100, Ct);
        Assert.Equal(1, server.Logs.Count(ProtocolViolationEvent));
        Assert.Equal(1, server.Counters.ProtocolViolations);
        Assert.Empty(server.QueryLog.Recent());
    }

    [Fact]
    public async Task Request_AfterValidOneThenMalformed_FirstAnsweredThenClosed()
    {
        await using var server = await TvsTestServer.StartAsync();
        await using var connection = await RawTvsConnection.OpenAsync(server.Port);

        await connection.SendAsync([
            .. TvsCodec.Write(new TvsVerifyRequest(1, Device, TestPki.SelfSigned("CN=x"))),
            .. Convert.FromHexString("5701050000000001" + "0000"),
        ]);

        Assert.Equal(1u, (await connection.ReadResponseAsync()).Header.SessionId);
        Assert.Equal(0, await connection.ReadUntilClosedAsync(TimeSpan.FromSeconds(4)));
    }

    [Fact]
    public async Task CertificateSwap_NewConnectionPresentsNew_OpenConnectionKeepsWorking()
    {
        await using var server = await TvsTestServer.StartAsync();
        var der = TestPki.SelfSigned("CN=tomcat.example");
        server.Trust.Add(StoreRoles.TomcatTrust, der);
        await using var before = await RawTvsConnection.OpenAsync(server.Port);
        Assert.Equal(TestPki.Tvs.CertificateDer, before.ServerCertificate);

        server.Certificates.Set(TestPki.Tvs2);
        await using var after = await RawTvsConnection.OpenAsync(server.Port);

        Assert.Equal(TestPki.Tvs2.CertificateDer, after.ServerCertificate);
        await before.SendAsync(TvsCodec.Write(new TvsVerifyRequest(1, Device, der)));
        Assert.Equal(TvsStatus.Valid, (await before.ReadResponseAsync()).Response.Status);
        await after.SendAsync(TvsCodec.Write(new TvsVerifyRequest(2, Device, der)));
        Assert.Equal(TvsStatus.Valid, (await after.ReadResponseAsync()).Response.Status);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(TestPki.Tvs2.CertificateDer)), server.Server.CurrentCertificateSha256);
    }

    [Fact]
    public async Task TrustUpload_ToTomcatTrust_ValidOnNextRequest()
    {
        await using var server = await TvsTestServer.StartAsync();
        var der = TestPki.SelfSigned("CN=newapp.example");
        await using var connection = await RawTvsConnection.OpenAsync(server.Port);
        await connection.SendAsync(TvsCodec.Write(new TvsVerifyRequest(1, Device, der)));
        Assert.Equal(TvsStatus.Invalid, (await connection.ReadResponseAsync()).Response.Status);

        server.Trust.Add(StoreRoles.TomcatTrust, der);
        await connection.SendAsync(TvsCodec.Write(new TvsVerifyRequest(2, Device, der)));

        var response = (await connection.ReadResponseAsync()).Response;
        Assert.Equal(TvsStatus.Valid, response.Status);
        Assert.Equal([7], response.Roles.ToArray());
    }

    [Fact]
    public async Task Answer_LoggedOnceAndInQueryLogAndCounters()
    {
        await using var server = await TvsTestServer.StartAsync();
        var der = TestPki.SelfSigned("CN=logged.example");
        server.Trust.Add(StoreRoles.TomcatTrust, der);
        await using var connection = await RawTvsConnection.OpenAsync(server.Port);

        await connection.SendAsync(TvsCodec.Write(new TvsVerifyRequest(1, Device, der)));
        await connection.ReadResponseAsync();
        await connection.SendAsync(TvsCodec.Write(new TvsQueryRequest(2, "CP-8861-SEPB000B4BA0AEE", "CN=a", "CN=b", new byte[] { 1 })));
        await connection.ReadResponseAsync();

        // The server records and logs (last) an answer after writing it, so the duration includes the write: the
        // client can read the answer first.
        var started = TimeProvider.System.GetTimestamp();
        while (server.Logs.Count(2001) < 2 && TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(der));
        var line = Assert.Single(server.Logs.Messages(2001), m => m.Contains("VERIFY", StringComparison.Ordinal));
        Assert.Contains(Device, line, StringComparison.Ordinal);
        Assert.Contains(sha, line, StringComparison.Ordinal);
        Assert.Contains("valid/Valid", line, StringComparison.Ordinal);
        Assert.Contains("roles [APP-SERVER]", line, StringComparison.Ordinal);
        Assert.Equal(2, server.Logs.Count(2001));

        var records = server.QueryLog.Recent();
        Assert.Equal(2, records.Count);
        Assert.Equal((TvsCommand.QueryRequest, TvsOutcome.Unknown, "01"), (records[0].Command, records[0].Outcome, records[0].SerialHex));
        Assert.Equal("CN=b", records[0].IssuerName);
        Assert.Equal((sha, TvsStatus.Valid), (records[1].CertificateSha256, records[1].Status));
        Assert.Equal([TrustRole.AppServer], records[1].Roles);
        Assert.Single(server.QueryLog.Recent(Device));
        Assert.Equal(1, server.Counters.Requests(TvsCommand.VerifyRequest, TvsOutcome.Valid));
        Assert.Equal(1, server.Counters.Requests(TvsCommand.QueryRequest, TvsOutcome.Unknown));
    }

    [Fact]
    public async Task SilentClient_AfterHandshake_ClosedAfterReadTimeout()
    {
        await using var server = await TvsTestServer.StartAsync(o => o.ReadTimeout = TimeSpan.FromMilliseconds(300));
        await using var connection = await RawTvsConnection.OpenAsync(server.Port);

        var started = TimeProvider.System.GetTimestamp();
        Assert.Equal(0, await connection.ReadUntilClosedAsync(TimeSpan.FromSeconds(5)));

        Assert.InRange(TimeProvider.System.GetElapsedTime(started).TotalMilliseconds, 200, 3000);
        Assert.Equal(1, server.Counters.ReadTimeouts);
        Assert.Equal(1, server.Logs.Count(2013));
    }

    [Fact]
    public async Task IdleClient_AfterAnAnswer_DroppedByTheListenerKitAfterIdleTimeout_AndCounted()
    {
        // The per-request deadline is far away: only the kit's idle timeout can end this connection.
        await using var server = await TvsTestServer.StartAsync(o =>
        {
            o.ReadTimeout = TimeSpan.FromSeconds(30);
            o.IdleTimeout = TimeSpan.FromMilliseconds(400);
        });
        await using var connection = await RawTvsConnection.OpenAsync(server.Port);
        await connection.SendAsync(TvsCodec.Write(new TvsVerifyRequest(1, Device, TestPki.SelfSigned("CN=x"))));
        await connection.ReadResponseAsync();

        var started = TimeProvider.System.GetTimestamp();
        Assert.Equal(0, await connection.ReadUntilClosedAsync(TimeSpan.FromSeconds(10)));

        Assert.InRange(TimeProvider.System.GetElapsedTime(started).TotalMilliseconds, 300, 5000);
        await WaitForAsync(() => server.Counters.IdleTimeouts == 1);
        Assert.Equal(0, server.Counters.ReadTimeouts);
        Assert.Equal(0, server.Counters.InternalErrors);
        Assert.Equal(1, server.Logs.Count(2024));
        await WaitForAsync(() => server.Counters.ConnectionsOpen == 0);
    }

    [Fact]
    public async Task ActiveClient_KeepsItsConnection_PastTheIdleTimeout()
    {
        await using var server = await TvsTestServer.StartAsync(o => o.IdleTimeout = TimeSpan.FromMilliseconds(400));
        await using var connection = await RawTvsConnection.OpenAsync(server.Port);

        // Requests every 150 ms for about three idle timeouts: traffic resets the clock each time.
        for (var i = 0; i < 8; i++)
        {
            await connection.SendAsync(TvsCodec.Write(new TvsVerifyRequest((ushort)(i + 1), Device, TestPki.SelfSigned("CN=x"))));
            await connection.ReadResponseAsync();
            await Task.Delay(150, Ct);
        }

        Assert.Equal(0, server.Counters.IdleTimeouts);
    }

    [Fact]
    public async Task SlowLoris_TricklingOneRequest_ClosedAfterReadTimeout()
    {
        await using var server = await TvsTestServer.StartAsync(o => o.ReadTimeout = TimeSpan.FromMilliseconds(500));
        await using var connection = await RawTvsConnection.OpenAsync(server.Port);
        var request = TvsCodec.Write(new TvsVerifyRequest(1, Device, TestPki.SelfSigned("CN=x")));

        var closed = false;
        for (var i = 0; i < request.Length && !closed; i++)
        {
            try
            {
                await connection.SendAsync([request[i]]);
                await Task.Delay(100, Ct);
            }
            catch (IOException)
            {
                closed = true;
            }

            closed |= server.Counters.ReadTimeouts == 1;
        }

        Assert.True(closed);
        await WaitForAsync(() => server.Counters.ReadTimeouts == 1);
    }

    [Fact]
    public async Task NoTlsHello_ClosedAfterHandshakeTimeout()
    {
        await using var server = await TvsTestServer.StartAsync(o => o.HandshakeTimeout = TimeSpan.FromMilliseconds(300));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", server.Port, Ct);

        var started = TimeProvider.System.GetTimestamp();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var read = await tcp.GetStream().ReadAsync(new byte[16], cts.Token);

        Assert.Equal(0, read);
        Assert.InRange(TimeProvider.System.GetElapsedTime(started).TotalMilliseconds, 200, 3000);
        await WaitForAsync(() => server.Counters.HandshakeTimeouts == 1);
        Assert.Equal(1, server.Logs.Count(2012));
    }

    [Fact]
    public async Task MaxConnections_Reached_FurtherRefusedWithClearLogLine()
    {
        await using var server = await TvsTestServer.StartAsync(o => o.MaxConnections = 2);
        using var one = new TcpClient();
        using var two = new TcpClient();
        await one.ConnectAsync("127.0.0.1", server.Port, Ct);
        await two.ConnectAsync("127.0.0.1", server.Port, Ct);
        await WaitForAsync(() => server.Server.OpenConnections == 2);

        Assert.False(await TryVerifyAsync(server.Port));

        Assert.Equal(1, server.Counters.RejectedMaxConnections);
        var line = Assert.Single(server.Logs.Messages(2014));
        Assert.Contains("connection limit reached (2 open)", line, StringComparison.Ordinal);

        one.Dispose();
        await WaitForAsync(() => server.Server.OpenConnections == 1);
        Assert.True(await TryVerifyAsync(server.Port));
    }

    [Fact]
    public async Task PerIpLimit_Reached_FurtherFromThatAddressRefused()
    {
        await using var server = await TvsTestServer.StartAsync(o => o.MaxConnectionsPerIp = 1);
        using var one = new TcpClient();
        await one.ConnectAsync("127.0.0.1", server.Port, Ct);
        await WaitForAsync(() => server.Server.OpenConnections == 1);

        Assert.False(await TryVerifyAsync(server.Port));

        Assert.Equal(1, server.Counters.RejectedPerIp);
        Assert.Contains("127.0.0.1", Assert.Single(server.Logs.Messages(2015)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FiftySilentConnections_OthersAnsweredPromptly()
    {
        await using var server = await TvsTestServer.StartAsync(o => o.HandshakeTimeout = TimeSpan.FromSeconds(30));
        var der = TestPki.SelfSigned("CN=busy.example");
        server.Trust.Add(StoreRoles.TomcatTrust, der);
        var silent = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 50; i++)
            {
                var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", server.Port, Ct);
                silent.Add(tcp);
            }

            await WaitForAsync(() => server.Server.OpenConnections == 50);
            var started = TimeProvider.System.GetTimestamp();
            for (var i = 0; i < 20; i++)
            {
                await using var connection = await RawTvsConnection.OpenAsync(server.Port);
                await connection.SendAsync(TvsCodec.Write(new TvsVerifyRequest((uint)i, Device, der)));
                Assert.Equal(TvsStatus.Valid, (await connection.ReadResponseAsync()).Response.Status);
            }

            // 20 handshakes take well under a second here; a server that serialised on the silent clients would
            // need the 30 s handshake timeout to pass first.
            Assert.InRange(TimeProvider.System.GetElapsedTime(started).TotalSeconds, 0, 10);
        }
        finally
        {
            silent.ForEach(s => s.Dispose());
        }
    }

    private static byte[] LeafFrom(string issuerDn, byte[] serial)
    {
        // Issued by a CA whose subject is what the phone writes (converted to .NET's separator).
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var dn = new System.Security.Cryptography.X509Certificates.X500DistinguishedName(issuerDn.Replace(';', ','));
        var caRequest = new System.Security.Cryptography.X509Certificates.CertificateRequest(dn, caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(
            new System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=ucm11pub.stormin.local, OU=IST, O=Stormin, L=Brisbane, S=QLD, C=AU", key, HashAlgorithmName.SHA256);
        using var leaf = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMonths(6), serial);
        return leaf.RawData;
    }

    private static async Task<bool> TryVerifyAsync(int port)
    {
        try
        {
            await using var connection = await RawTvsConnection.OpenAsync(port);
            await connection.SendAsync(TvsCodec.Write(new TvsVerifyRequest(1, Device, new byte[] { 0x30, 0 })));
            await connection.ReadResponseAsync();
            return true;
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or SocketException)
        {
            return false;
        }
    }

    internal static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            if (TimeProvider.System.GetElapsedTime(deadline) > TimeSpan.FromSeconds(5))
            {
                Assert.Fail("Condition not met within 5 s.");
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
