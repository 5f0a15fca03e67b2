using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using SbdServer.Phone.Tvs;
using SbdServer.Testing;
using SbdServer.Tvs;
using SbdServer.Wire.Tvs;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>TVS answering from the certificate store of a real host, over real TLS on loopback.</summary>
public sealed class TvsIntegrationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Node = "cucm-pub";
    private const string Device = "CP-7962-SEP0011215A1AE3";

    private int TvsPort => factory.Services.GetRequiredService<TvsHostedService>().Server!.LocalEndPoint.Port;

    [Fact]
    public async Task Verify_OwnCallManagerCertificate_ValidWithCcmTftpAndSast()
    {
        using var admin = factory.Admin();
        var callManager = await PemAsync(admin, "CallManager");

        await using var client = await ConnectAsync();
        var answer = await client.VerifyAsync(Device, callManager, TestContext.Current.CancellationToken);

        Assert.Equal(TvsStatus.Valid, answer.Status);
        Assert.Equal(new byte[] { 2, 0 }, answer.Roles.ToArray());
        Assert.Equal(86_400u, answer.TtlSeconds);
    }

    [Fact]
    public async Task Listener_PresentsCurrentTvsCertificate_AndNewOneAfterRegeneration()
    {
        using var admin = factory.Admin();
        var before = await PemAsync(admin, "TVS");

        await using (var first = await ConnectAsync())
        {
            Assert.Equal(before, first.ServerCertificate.ToArray());
        }

        await using var open = await ConnectAsync();
        var regenerate = await admin.PostAsync(
            $"/api/nodes/{Node}/certificates/TVS/regenerate?confirm=true", null, TestContext.Current.CancellationToken);
        Assert.True(regenerate.IsSuccessStatusCode, await regenerate.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var after = await PemAsync(admin, "TVS");
        Assert.NotEqual(before, after);

        await using var fresh = await ConnectAsync();
        Assert.Equal(after, fresh.ServerCertificate.ToArray());

        // The connection opened before the regeneration finishes on the old certificate.
        Assert.Equal(before, open.ServerCertificate.ToArray());
        var stillAnswered = await open.VerifyAsync(Device, after, TestContext.Current.CancellationToken);
        Assert.Equal(TvsStatus.Valid, stillAnswered.Status);
        Assert.Equal(new byte[] { 21 }, stillAnswered.Roles.ToArray());
    }

    [Fact]
    public async Task Verify_CertificateUploadedToTomcatTrust_ValidOnNextRequest()
    {
        using var admin = factory.Admin();
        using var key = RSA.Create(2048);
        var der = TestPki.SelfSignedFor("CN=apps.lab.example", key);

        await using var client = await ConnectAsync();
        var unknown = await client.VerifyAsync(Device, der, TestContext.Current.CancellationToken);
        Assert.Equal(TvsStatus.Invalid, unknown.Status);
        Assert.True(unknown.Roles.IsEmpty);

        using var body = new ByteArrayContent(der);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/pkix-cert");
        var upload = await admin.PostAsync("/api/trust/tomcat-trust", body, TestContext.Current.CancellationToken);
        Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        var known = await client.VerifyAsync(Device, der, TestContext.Current.CancellationToken);
        Assert.Equal(TvsStatus.Valid, known.Status);
        Assert.Equal(new byte[] { 7 }, known.Roles.ToArray());
    }

    [Fact]
    public async Task QueryLogAndMetrics_ShowWhatAPhoneAsked()
    {
        using var admin = factory.Admin();
        var tomcat = await PemAsync(admin, "tomcat");
        const string device = "CP-8861-SEP00AABBCCDDEE";
        await using (var client = await ConnectAsync())
        {
            Assert.Equal(TvsStatus.Valid, (await client.VerifyAsync(device, tomcat, TestContext.Current.CancellationToken)).Status);
        }

        // The server records an answer after writing it (the duration includes the write): the client can read first.
        var log = await admin.GetStringAsync($"/api/tvs/queries?device={device}", TestContext.Current.CancellationToken);
        var started = TimeProvider.System.GetTimestamp();
        while (!log.Contains(device, StringComparison.Ordinal)
               && TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
            log = await admin.GetStringAsync($"/api/tvs/queries?device={device}", TestContext.Current.CancellationToken);
        }

        Assert.Contains(device, log, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(tomcat)), log, StringComparison.Ordinal);
        Assert.Contains("APP-SERVER", log, StringComparison.Ordinal);

        var metrics = await admin.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Contains("# TYPE sbd_tvs_requests_total counter", metrics, StringComparison.Ordinal);
        Assert.Contains("sbd_tvs_requests_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("# TYPE sbd_tftp_active_sessions gauge", metrics, StringComparison.Ordinal);
        Assert.Contains("# TYPE sbd_capf_sessions_total counter", metrics, StringComparison.Ordinal);

        using var anonymous = factory.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized,
            (await anonymous.GetAsync("/metrics", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized,
            (await anonymous.GetAsync("/api/tvs/queries", TestContext.Current.CancellationToken)).StatusCode);
    }

    private Task<TvsClient> ConnectAsync() =>
        TvsClient.ConnectAsync("127.0.0.1", TvsPort, new TvsClientOptions(), TestContext.Current.CancellationToken);

    private static async Task<byte[]> PemAsync(HttpClient admin, string name)
    {
        var pem = await admin.GetStringAsync($"/api/nodes/{Node}/certificates/{name}/pem", TestContext.Current.CancellationToken);
        return X509Certificate2.CreateFromPem(pem).RawData;
    }
}
