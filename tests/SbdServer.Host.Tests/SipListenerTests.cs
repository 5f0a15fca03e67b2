using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SbdServer.Sip;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>
/// The secure SIP port on a real host over real TLS on loopback: what a REGISTER is answered with, every refusal,
/// malformed, oversized and silent clients, and the per-address limit; after each the port still serves the next phone.
/// </summary>
public sealed class SipListenerTests(SipListenerTests.Factory factory) : IClassFixture<SipListenerTests.Factory>
{
    private const string Secure = "0A0B0C0D5001";
    private const string NonSecure = "0A0B0C0D5002";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SipServer Server => factory.Services.GetRequiredService<SipHostedService>().Server!;

    private int Port => Server.LocalEndPoint.Port;

    [Fact]
    public async Task Register_SecureDevice_200OnTheCallManagerCertificate_LifetimeAtMostTheConfigured_PingPong_Deregister()
    {
        await DevicesAsync();
        using var admin = factory.Admin();
        using var callManager = X509Certificate2.CreateFromPem(
            await admin.GetStringAsync("/api/nodes/cucm-pub/certificates/CallManager/pem", Ct));
        await using var phone = await OpenAsync();
        Assert.Equal(callManager.RawData, phone.ServerCertificate);

        await phone.SendAsync(SipText.Register(Secure, expires: "3600"));
        var first = await phone.ReadResponseAsync();

        // Sip:RegistrationSeconds is 1800 here: the phone asked for more and gets the registrar's maximum.
        Assert.Equal(200, first.Code);
        Assert.Equal("1800", first.Header("Expires"));
        Assert.Equal(
            $"<sip:SEP{Secure}@127.0.0.1:51000;transport=tls>;+sip.instance=\"<urn:uuid:00000000-0000-0000-0000-{Secure.ToLowerInvariant()}>\";expires=1800",
            first.Header("Contact"));
        Assert.Equal(["SIP/2.0/TLS 127.0.0.1:51000;branch=z9hG4bK1"], first.All("Via"));
        Assert.Equal("101 REGISTER", first.Header("CSeq"));
        Assert.Matches($"^<sip:SEP{Secure}@127.0.0.1>;tag=[0-9a-f]{{12}}$", first.Header("To"));
        Assert.Equal("0", first.Header("Content-Length"));

        // Less than the maximum in the Contact's own parameter: granted as asked, the parameter not repeated.
        await phone.SendAsync(SipText.Register(Secure, contactExpires: "600", cseq: 102));
        var shorter = await phone.ReadResponseAsync();
        Assert.Equal(200, shorter.Code);
        Assert.Equal("600", shorter.Header("Expires"));
        Assert.EndsWith("\";expires=600", shorter.Header("Contact"), StringComparison.Ordinal);

        // RFC 5626 keep-alive: a double CRLF is answered with one CRLF, and the connection goes on.
        await phone.SendAsync("\r\n\r\n");
        Assert.Equal("\r\n", await phone.ReadExactlyAsync(2));

        await phone.SendAsync(SipText.Register(Secure, expires: "30", cseq: 103));
        var brief = await phone.ReadResponseAsync();
        Assert.Equal(423, brief.Code);
        Assert.Equal("60", brief.Header("Min-Expires"));

        await phone.SendAsync(SipText.Register(Secure, expires: "0", cseq: 104));
        var removed = await phone.ReadResponseAsync();
        Assert.Equal(200, removed.Code);
        Assert.Null(removed.Header("Contact"));
        Assert.Null(removed.Header("Expires"));

        // A REGISTER without Contact asks for the bindings; with none kept, the 200 lists none.
        await phone.SendAsync(SipText.Register(Secure, contact: null, cseq: 105));
        var query = await phone.ReadResponseAsync();
        Assert.Equal(200, query.Code);
        Assert.Null(query.Header("Contact"));
    }

    public static TheoryData<string, string, int, string> Refusals => new()
    {
        { "another method", SipText.Register(Secure).Replace("REGISTER sip:", "OPTIONS sip:", StringComparison.Ordinal), 405, "Method Not Allowed" },
        { "unknown device", SipText.Register("0A0B0C0D50FF"), 404, "Not Found" },
        { "non-secure profile", SipText.Register(NonSecure), 403, "Forbidden (the device's security profile is non-secure)" },
        { "no SEP device", SipText.Register(Secure, contact: "<sip:1000@127.0.0.1:51000;transport=tls>", user: "1000"), 404, "Not Found (no SEP<MAC> device in Contact or From)" },
        { "no Call-ID", SipText.Register(Secure, callId: null), 400, "Bad Request (no Call-ID header)" },
        { "no Via", SipText.Register(Secure, via: null), 400, "Bad Request (no Via header)" },
        { "Expires not a number", SipText.Register(Secure, expires: "soon"), 400, "Bad Request (Expires is not a number of seconds)" },
        { "Contact * without Expires 0", SipText.Register(Secure, contact: "*", expires: "3600"), 400, "Bad Request (Contact * needs Expires 0)" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Refusal_IsAnsweredWithItsStatus_AndTheConnectionServesTheNextRegister(string why, string request, int code, string reason)
    {
        await DevicesAsync();
        await using var phone = await OpenAsync();

        await phone.SendAsync(request);
        var refused = await phone.ReadResponseAsync();

        Assert.True(code == refused.Code && reason == refused.Reason, $"{why}: {refused.Code} {refused.Reason}");
        if (code == 405)
        {
            Assert.Equal("REGISTER", refused.Header("Allow"));
        }

        await phone.SendAsync(SipText.Register(Secure, cseq: 102));
        Assert.Equal(200, (await phone.ReadResponseAsync()).Code);
    }

    [Theory]
    [InlineData("abc", 400, "Bad Request (Content-Length is not a byte count)")]
    [InlineData("-1", 400, "Bad Request (Content-Length is not a byte count)")]
    [InlineData("99999999999", 400, "Bad Request (Content-Length is not a byte count)")]
    [InlineData("8193", 413, "Request Entity Too Large")]
    public async Task ContentLengthThatCannotBeRead_IsAnswered_ThenTheConnectionCloses(string contentLength, int code, string reason)
    {
        await DevicesAsync();
        await using var phone = await OpenAsync();

        await phone.SendAsync(SipText.Register(Secure, contentLength: contentLength));
        var answer = await phone.ReadResponseAsync();

        Assert.Equal((code, reason), (answer.Code, answer.Reason));
        Assert.True(await phone.ClosedAsync(TimeSpan.FromSeconds(5)));
        await NextPhoneIsServedAsync();
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "garbage", "\u0016\u0003\u0001 hello there\r\n\r\n" },
        { "not SIP/2.0", "REGISTER sip:x HTTP/1.1\r\nHost: x\r\n\r\n" },
        { "a header without a name", SipText.Register(Secure).Replace("CSeq: 101 REGISTER", "101 REGISTER", StringComparison.Ordinal) },
        { "a bare LF inside a header", SipText.Register(Secure).Replace("CSeq: 101 REGISTER", "CSeq: 101\nREGISTER", StringComparison.Ordinal) },
        { "a NUL inside a header", SipText.Register(Secure).Replace("CSeq: 101 REGISTER", "CSeq: 101\0REGISTER", StringComparison.Ordinal) },
        { "a header block over 8 KB", SipText.Register(Secure).Replace("CSeq:", "X-Pad: " + new string('a', 8200) + "\r\nCSeq:", StringComparison.Ordinal) },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Malformed_ClosesWithoutAnAnswer_AndTheNextPhoneIsServed(string why, string request)
    {
        await DevicesAsync();
        await using var phone = await OpenAsync();

        await phone.SendAsync(request);

        Assert.True(await phone.ClosedWithoutAnswerAsync(TimeSpan.FromSeconds(5)), why);
        await NextPhoneIsServedAsync();
    }

    [Fact]
    public async Task ContentLengthThatLies_LongerWaitsOutTheReadTimeout_ShorterMakesTheRestTheNextRequest()
    {
        await DevicesAsync();

        // Longer than the body: the registrar waits for the rest, and Sip:ReadTimeout (3 s) ends the wait.
        await using (var longer = await OpenAsync())
        {
            await longer.SendAsync(SipText.Register(Secure, contentLength: "100") + "only ten b");
            var started = TimeProvider.System.GetTimestamp();
            Assert.True(await longer.ClosedWithoutAnswerAsync(TimeSpan.FromSeconds(15)));
            Assert.InRange(TimeProvider.System.GetElapsedTime(started).TotalSeconds, 2.5, 15);
        }

        // Shorter: the declared bytes are the body, the rest is read as the next request, which is not SIP.
        await using (var shorter = await OpenAsync())
        {
            await shorter.SendAsync(SipText.Register(Secure, contentLength: "4") + "v=0\nthe rest of an SDP body\r\n\r\n");
            Assert.Equal(200, (await shorter.ReadResponseAsync()).Code);
            Assert.True(await shorter.ClosedWithoutAnswerAsync(TimeSpan.FromSeconds(5)));
        }

        await NextPhoneIsServedAsync();
    }

    [Fact]
    public async Task SilentAndSlowClients_AreClosedAtTheirDeadline_AndTheNextPhoneIsServed()
    {
        await DevicesAsync();

        // TCP without a ClientHello: Sip:HandshakeTimeout (2 s).
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(IPAddress.Loopback, Port, Ct);
            var started = TimeProvider.System.GetTimestamp();
            Assert.True(await SipClient.ReadsEndAsync(tcp.GetStream(), TimeSpan.FromSeconds(15)));
            Assert.InRange(TimeProvider.System.GetElapsedTime(started).TotalSeconds, 1.5, 15);
        }

        // Not TLS at all: the handshake fails at once.
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(IPAddress.Loopback, Port, Ct);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(SipText.Register(Secure)), Ct);
            var started = TimeProvider.System.GetTimestamp();
            Assert.True(await SipClient.ReadsEndAsync(stream, TimeSpan.FromSeconds(10)));
            Assert.InRange(TimeProvider.System.GetElapsedTime(started).TotalSeconds, 0, 1.9);
        }

        // TLS up, then nothing: Sip:ReadTimeout (3 s).
        await using (var silent = await OpenAsync())
        {
            var started = TimeProvider.System.GetTimestamp();
            Assert.True(await silent.ClosedWithoutAnswerAsync(TimeSpan.FromSeconds(15)));
            Assert.InRange(TimeProvider.System.GetElapsedTime(started).TotalSeconds, 2.5, 15);
        }

        // A byte every 200 ms: the deadline is for the whole request, so dribbling does not keep it open.
        await using (var slow = await OpenAsync())
        {
            var started = TimeProvider.System.GetTimestamp();
            var closed = false;
            foreach (var c in SipText.Register(Secure))
            {
                try
                {
                    await slow.SendAsync(c.ToString());
                }
                catch (IOException)
                {
                    closed = true;
                    break;
                }

                await Task.Delay(200, Ct);
                if (TimeProvider.System.GetElapsedTime(started).TotalSeconds > 8)
                {
                    break;
                }
            }

            Assert.True(closed || await slow.ClosedWithoutAnswerAsync(TimeSpan.FromSeconds(10)));
            Assert.InRange(TimeProvider.System.GetElapsedTime(started).TotalSeconds, 2.5, 15);
        }

        await NextPhoneIsServedAsync();
    }

    [Fact]
    public async Task PerIpLimit_TheFifthConnectionIsResetBeforeTls_AFreedSlotServesTheNextPhone()
    {
        await DevicesAsync();
        await WaitForNoConnectionsAsync();
        var open = new List<SipClient>();
        try
        {
            // Sip:MaxConnectionsPerIp is 4 here.
            for (var i = 0; i < 4; i++)
            {
                open.Add(await OpenAsync());
            }

            await Assert.ThrowsAnyAsync<Exception>(async () => await (await OpenAsync()).DisposeAsync());

            await open[0].DisposeAsync();
            open.RemoveAt(0);
            await WaitForConnectionsAsync(atMost: 3);
            await NextPhoneIsServedAsync();
        }
        finally
        {
            foreach (var connection in open)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task OneConnection_IsAnswered100Times_ThenClosed()
    {
        await DevicesAsync();
        await using var phone = await OpenAsync();

        for (var i = 0; i < 100; i++)
        {
            await phone.SendAsync(SipText.Register(Secure, cseq: 101 + i));
            Assert.Equal(200, (await phone.ReadResponseAsync()).Code);
        }

        Assert.True(await phone.ClosedAsync(TimeSpan.FromSeconds(5)));
    }

    /// <summary>A TLS connection presenting the secure device's MIC (its manufacturing CA is in CAPF-trust).</summary>
    private Task<SipClient> OpenAsync() => SipClient.OpenAsync(Port, factory.Mic);

    private async Task NextPhoneIsServedAsync()
    {
        await using var phone = await OpenAsync();
        await phone.SendAsync(SipText.Register(Secure));
        Assert.Equal(200, (await phone.ReadResponseAsync()).Code);
    }

    private async Task WaitForNoConnectionsAsync() => await WaitForConnectionsAsync(atMost: 0);

    private async Task WaitForConnectionsAsync(int atMost)
    {
        // The server notices a client's close on its next read; until then the slot is taken.
        for (var i = 0; Server.OpenConnections > atMost; i++)
        {
            Assert.True(i < 200, $"{Server.OpenConnections} SIP connections stay open, expected at most {atMost}");
            await Task.Delay(50, Ct);
        }
    }

    private async Task DevicesAsync()
    {
        using var admin = factory.Admin();
        await factory.TrustManufacturingCaAsync(admin);
        foreach (var (mac, profile) in new[] { (Secure, "Authenticated"), (NonSecure, "NonSecure") })
        {
            if ((await admin.GetAsync($"/api/devices/SEP{mac}", Ct)).StatusCode == HttpStatusCode.NotFound)
            {
                var response = await admin.PostAsJsonAsync("/api/devices", new { name = "SEP" + mac, model = "8861", securityProfile = profile }, Ct);
                Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
            }
        }
    }

    /// <summary>
    /// A host with the SIP port on, short deadlines and a small per-address limit, and a MIC for the secure device
    /// (the client-certificate rules themselves: <see cref="SipClientCertificateTests"/>).
    /// </summary>
    public sealed class Factory : ApiFactory
    {
        private readonly Lazy<X509Certificate2> _manufacturing = new(() => Testing.TestPki.CertificateAuthority("CN=Stand-in Manufacturing CA SIP"));
        private readonly Lazy<X509Certificate2> _mic;
        private bool _trusted;

        public Factory() => _mic = new(() => Testing.TestPki.IssuedBy(_manufacturing.Value, $"CN=CP-8861-SEP{Secure}"));

        public X509Certificate2 Mic => _mic.Value;

        /// <summary>Puts the MIC's CA in CAPF-trust once (the tests of a class run one at a time).</summary>
        public async Task TrustManufacturingCaAsync(HttpClient admin)
        {
            if (!_trusted)
            {
                await SipClientCertificateTests.UploadAsync(admin, "CAPF-trust", _manufacturing.Value);
                _trusted = true;
            }
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            if (_mic.IsValueCreated)
            {
                _mic.Value.Dispose();
            }

            if (_manufacturing.IsValueCreated)
            {
                _manufacturing.Value.Dispose();
            }
        }

        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Sip:Enabled"] = "true",
            ["Sip:Address"] = "127.0.0.1",
            ["Sip:Port"] = "0",
            ["Sip:RegistrationSeconds"] = "1800",
            ["Sip:HandshakeTimeout"] = "00:00:02",
            ["Sip:ReadTimeout"] = "00:00:03",
            ["Sip:MaxConnectionsPerIp"] = "4",
        };
    }
}

/// <summary>REGISTER requests as an 8800-series phone sends them, with the parts a test varies.</summary>
internal static class SipText
{
    public const string Default = "default";

    public static string Register(
        string mac, string? expires = null, string? contactExpires = null, int cseq = 101, string? contact = Default,
        string? callId = "42@127.0.0.1", string? via = "SIP/2.0/TLS 127.0.0.1:51000;branch=z9hG4bK1", string? user = null,
        string contentLength = "0")
    {
        var from = user ?? "SEP" + mac;
        var text = new StringBuilder().Append("REGISTER sip:127.0.0.1 SIP/2.0\r\n");
        if (via is not null)
        {
            text.Append("Via: ").Append(via).Append("\r\n");
        }

        text.Append("From: <sip:").Append(from).Append("@127.0.0.1>;tag=a1\r\n");
        text.Append("To: <sip:").Append(from).Append("@127.0.0.1>\r\n");
        if (callId is not null)
        {
            text.Append("Call-ID: ").Append(callId).Append("\r\n");
        }

        text.Append("CSeq: ").Append(cseq).Append(" REGISTER\r\n");
        if (contact == Default)
        {
            contact = $"<sip:SEP{mac}@127.0.0.1:51000;transport=tls>;+sip.instance=\"<urn:uuid:00000000-0000-0000-0000-{mac.ToLowerInvariant()}>\"";
        }

        if (contact is not null)
        {
            text.Append("Contact: ").Append(contact).Append(contactExpires is null ? "" : ";expires=" + contactExpires).Append("\r\n");
        }

        if (expires is not null)
        {
            text.Append("Expires: ").Append(expires).Append("\r\n");
        }

        return text.Append("Content-Length: ").Append(contentLength).Append("\r\n\r\n").ToString();
    }
}

/// <summary>A hand-driven TLS connection to the SIP port, optionally presenting a client certificate.</summary>
internal sealed class SipClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly SslStream _tls;
    private readonly List<byte> _pending = [];

    private SipClient(TcpClient tcp, SslStream tls, byte[] serverCertificate)
    {
        _tcp = tcp;
        _tls = tls;
        ServerCertificate = serverCertificate;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public byte[] ServerCertificate { get; }

    /// <summary>True when the server asked for the client certificate and this client sent one.</summary>
    public bool MutuallyAuthenticated => _tls.IsMutuallyAuthenticated;

    public static async Task<SipClient> OpenAsync(int port, X509Certificate2? certificate = null)
    {
        var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(IPAddress.Loopback, port, Ct);
            byte[]? presented = null;
            var tls = new SslStream(tcp.GetStream());
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "cucm-pub.lab.example",
                ClientCertificates = certificate is null ? null : [certificate],
                LocalCertificateSelectionCallback = certificate is null ? null : (_, _, _, _, _) => certificate,
                RemoteCertificateValidationCallback = (_, server, _, _) =>
                {
                    presented = server?.GetRawCertData();
                    return presented is not null; // the test compares it with the node's CallManager certificate
                },
            }, timeout.Token);
            return new SipClient(tcp, tls, presented!);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    public async Task SendAsync(string text)
    {
        await _tls.WriteAsync(Encoding.UTF8.GetBytes(text), Ct);
        await _tls.FlushAsync(Ct);
    }

    public async Task<string> ReadExactlyAsync(int count)
    {
        while (_pending.Count < count)
        {
            if (!await FillAsync(TimeSpan.FromSeconds(10)))
            {
                throw new IOException("the server closed the connection");
            }
        }

        var text = Encoding.UTF8.GetString(_pending.GetRange(0, count).ToArray());
        _pending.RemoveRange(0, count);
        return text;
    }

    public async Task<SipResponse> ReadResponseAsync()
    {
        while (true)
        {
            var text = Encoding.UTF8.GetString(_pending.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.RemoveRange(0, Encoding.UTF8.GetByteCount(text[..(end + 4)]));
                return SipResponse.Parse(text[..end]);
            }

            if (!await FillAsync(TimeSpan.FromSeconds(10)))
            {
                throw new IOException("the server closed the connection without a whole response: " + text);
            }
        }
    }

    /// <summary>True when the server ends the connection within <paramref name="within"/> having sent nothing.</summary>
    public async Task<bool> ClosedWithoutAnswerAsync(TimeSpan within) => await ClosedAsync(within) && _pending.Count == 0;

    /// <summary>True when the server ends the connection within <paramref name="within"/>.</summary>
    public async Task<bool> ClosedAsync(TimeSpan within)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(within.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (TimeProvider.System.GetTimestamp() < deadline)
        {
            if (!await FillAsync(within))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when a read on a plain stream ends (0 bytes or a reset) within <paramref name="within"/>.</summary>
    public static async Task<bool> ReadsEndAsync(Stream stream, TimeSpan within)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(within);
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
                // Whatever the server says before closing (a TLS alert) is not what the test waits for.
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _tls.DisposeAsync();
        _tcp.Dispose();
    }

    /// <summary>Reads what arrives; false when the server closed (or reset) the connection.</summary>
    private async Task<bool> FillAsync(TimeSpan within)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(within);
        var buffer = new byte[16 * 1024];
        try
        {
            var read = await _tls.ReadAsync(buffer, timeout.Token);
            _pending.AddRange(buffer.AsSpan(0, read).ToArray());
            return read > 0;
        }
        catch (IOException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            return true; // nothing within the time: still open
        }
    }
}

/// <summary>A SIP response's status line and headers.</summary>
internal sealed record SipResponse(int Code, string Reason, IReadOnlyList<(string Name, string Value)> Headers)
{
    public string? Header(string name) => All(name).FirstOrDefault();

    public string[] All(string name) =>
        Headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToArray();

    public static SipResponse Parse(string block)
    {
        var lines = block.Split("\r\n");
        var status = lines[0].Split(' ', 3);
        Assert.Equal("SIP/2.0", status[0]);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Select(p => (p[0].Trim(), p[1].Trim())).ToList();
        return new SipResponse(int.Parse(status[1], System.Globalization.CultureInfo.InvariantCulture), status.Length == 3 ? status[2] : "", headers);
    }
}
