using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SbdServer.Core.Certificates;
using SbdServer.Core.PhoneServices;
using SbdServer.Phone.Tvs;
using SbdServer.PhoneServices;
using SbdServer.Testing;
using SbdServer.Tvs;
using SbdServer.Wire.Tvs;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>
/// HTTPS 8443 inside a real host: the tomcat certificate from the store, hot reload after a regeneration or a
/// CA-signed upload, authenticate.jsp against the admin credentials and the device table, and the phone's
/// HTTPS-through-TVS check (cucm-reference scenarios 5, 6 and 26).
/// </summary>
public sealed class PhoneServicesIntegrationTests(HttpsApiFactory factory) : IClassFixture<HttpsApiFactory>
{
    private const string Node = "cucm-pub";
    private const string PhoneDevice = "CP-8861-SEP0011215A1AE3";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private int Port => factory.HttpsPort;

    private int TvsPort => factory.Services.GetRequiredService<TvsHostedService>().Server!.LocalEndPoint.Port;

    [Fact]
    public async Task Presents_TheNodesTomcatCertificate_AsListedByTheApi()
    {
        using var admin = factory.Admin();
        var tomcatSha256 = await TomcatSha256Async(admin);

        await using var connection = await ConnectAsync(Port);

        Assert.Equal(tomcatSha256, Convert.ToHexStringLower(SHA256.HashData(connection.Certificate)));
        Assert.Equal(200, (await connection.GetAsync("/ccmcip/xmldirectory.jsp")).Status);
    }

    [Fact]
    public async Task RegenerateTomcat_NextConnectionGetsNewCertificate_OpenOneKeepsOld()
    {
        using var admin = factory.Admin();
        var before = await TomcatSha256Async(admin);
        await using var open = await ConnectAsync(Port);
        Assert.Equal(before, Sha256(open.Certificate));

        var regenerate = await admin.PostAsync($"/api/nodes/{Node}/certificates/tomcat/regenerate?confirm=true", null, Ct);
        Assert.True(regenerate.IsSuccessStatusCode, await regenerate.Content.ReadAsStringAsync(Ct));
        var after = await TomcatSha256Async(admin);
        Assert.NotEqual(before, after);

        await using var fresh = await ConnectAsync(Port);
        Assert.Equal(after, Sha256(fresh.Certificate));

        var (status, body) = await open.GetAsync("/ccmcip/xmldirectory.jsp");
        Assert.Equal(200, status);
        Assert.Contains("CiscoIPPhoneInput", body, StringComparison.Ordinal);
        Assert.Equal(before, Sha256(open.Certificate));
    }

    [Fact]
    public async Task CaSignedTomcat_PresentedWithoutRestart_AndTrustedByTvs()
    {
        using var admin = factory.Admin();
        using var ca = TestPki.CertificateAuthority("CN=Lab Root CA", years: 5);
        using (var caBody = new ByteArrayContent(ca.RawData))
        {
            caBody.Headers.ContentType = new("application/pkix-cert");
            var upload = await admin.PostAsync("/api/trust/tomcat-trust", caBody, Ct);
            Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync(Ct));
        }

        var csrResponse = await admin.PostAsync($"/api/nodes/{Node}/certificates/tomcat/csr", null, Ct);
        Assert.True(csrResponse.IsSuccessStatusCode, await csrResponse.Content.ReadAsStringAsync(Ct));
        var csr = CertificateRequest.LoadSigningRequestPem(
            await csrResponse.Content.ReadAsStringAsync(Ct), HashAlgorithmName.SHA256,
            CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions, RSASignaturePadding.Pkcs1);
        csr.CertificateExtensions.Clear();
        csr.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        csr.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        csr.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("cucm-pub.lab.example");
        san.AddDnsName("apps.lab.example");
        csr.CertificateExtensions.Add(san.Build());
        using var signed = csr.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), RandomNumberGenerator.GetBytes(16));
        var chain = signed.ExportCertificatePem() + "\n" + ca.ExportCertificatePem() + "\n";
        using (var body = new StringContent(chain, Encoding.ASCII, "application/x-pem-file"))
        {
            var accepted = await admin.PostAsync($"/api/nodes/{Node}/certificates/tomcat/signed?confirm=true", body, Ct);
            Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync(Ct));
        }

        await using var connection = await ConnectAsync(Port);

        Assert.Equal(signed.RawData, connection.Certificate);
        Assert.Equal(await TomcatSha256Async(admin), Sha256(connection.Certificate));
        var answer = await VerifyThroughTvsAsync(connection.Certificate);
        Assert.Equal(TvsStatus.Valid, answer.Status);
        Assert.Equal(new byte[] { 7 }, answer.Roles.ToArray());
    }

    [Fact]
    public async Task HttpsThroughTvs_PhoneAsksTvsAboutThe8443Certificate_TrustedAsAppServer()
    {
        // Scenario 5: the tomcat certificate is not in the ITL, so the phone asks TVS about what 8443 presented.
        await using var connection = await ConnectAsync(Port);

        var answer = await VerifyThroughTvsAsync(connection.Certificate);

        Assert.Equal(TvsStatus.Valid, answer.Status);
        Assert.Equal(new byte[] { 7 }, answer.Roles.ToArray());
        Assert.Equal(86_400u, answer.TtlSeconds);
    }

    [Fact]
    public async Task HttpsThroughTvs_ServerCertificateInNoStore_Refused()
    {
        // Scenario 6: an application server whose certificate no store holds; what it presents is all TVS sees.
        using var key = RSA.Create(2048);
        var foreign = TestPki.SelfSignedFor("CN=rogue.lab.example", key);

        var answer = await VerifyThroughTvsAsync(foreign);

        Assert.Equal(TvsStatus.Invalid, answer.Status);
        Assert.True(answer.Roles.IsEmpty);
    }

    [Fact]
    public async Task Authenticate_AgainstAdminCredentialsAndDeviceTable()
    {
        using var admin = factory.Admin();
        var created = await admin.PostAsJsonAsync("/api/devices", new { name = "0011.215a.1ae4", model = "8861", protocol = "SIP" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var client = PhoneClient(Port);

        async Task<string> AskAsync(string query) =>
            await client.GetStringAsync("/ccmcip/authenticate.jsp?" + query, Ct);

        var password = Uri.EscapeDataString(ApiFactory.AdminPassword);
        Assert.Equal("AUTHORIZED", await AskAsync($"UserID=admin&Password={password}&devicename=SEP0011215A1AE4"));
        Assert.Equal("AUTHORIZED", await AskAsync($"UserID=admin&Password={password}"));
        Assert.Equal("UN-AUTHORIZED", await AskAsync("UserID=admin&Password=wrong&devicename=SEP0011215A1AE4"));
        Assert.Equal("UN-AUTHORIZED", await AskAsync($"UserID=admin&Password={password}&devicename=SEP00AABBCCDD99"));
        Assert.Equal("ERROR", await AskAsync("devicename=SEP0011215A1AE4"));
    }

    [Fact]
    public async Task AdminApi_IsServedOnTheHttpsListener_ForTheAdminOnly()
    {
        using var anonymous = PhoneClient(Port);
        using var admin = PhoneClient(Port);
        admin.DefaultRequestHeaders.Authorization = ApiFactory.Basic("admin", ApiFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/nodes/{Node}/certificates", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/nodes/{Node}/certificates", Ct)).StatusCode);
    }

    [Fact]
    public async Task Root_RedirectsToAdmin()
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, c, _, _) => c is not null },
        })
        { BaseAddress = new Uri($"https://127.0.0.1:{Port}") };

        var response = await client.GetAsync("/", Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task AdminDashboard_IsServedOnTheHttpsListener_ToASignedInAdmin()
    {
        using var anonymous = PhoneClient(Port);
        using var basic = PhoneClient(Port);
        basic.DefaultRequestHeaders.Authorization = ApiFactory.Basic("admin", ApiFactory.AdminPassword);
        using var browser = new AdminSession(Port);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/admin/assets/admin.css", Ct)).StatusCode);
        Assert.Contains("<h1>Sign in</h1>", await basic.GetStringAsync("/admin", Ct), StringComparison.Ordinal); // Basic is the API's, not the UI's
        await browser.SignInAsync("admin", ApiFactory.AdminPassword);
        var html = await browser.Http.GetStringAsync("/admin", Ct);

        Assert.Contains("<h1>Dashboard</h1>", html, StringComparison.Ordinal);
        Assert.Contains("cucm-pub.lab.example", html, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{Port}", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PhoneRoutes_AreNotOnThePlainAdminEndpoint()
    {
        using var plain = factory.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await plain.GetAsync("/ccmcip/xmldirectory.jsp", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await plain.GetAsync(
            "/ccmcip/authenticate.jsp?UserID=admin&Password=" + Uri.EscapeDataString(ApiFactory.AdminPassword), Ct)).StatusCode);
    }

    private async Task<TvsResponse> VerifyThroughTvsAsync(byte[] certificate)
    {
        await using var tvs = await TvsClient.ConnectAsync("127.0.0.1", TvsPort, new TvsClientOptions(), Ct);
        return await tvs.VerifyAsync(PhoneDevice, certificate, Ct);
    }

    private static async Task<string> TomcatSha256Async(HttpClient admin)
    {
        var list = await admin.GetFromJsonAsync<JsonElement>($"/api/nodes/{Node}/certificates", Ct);
        return list.EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == "tomcat" && c.GetProperty("store").GetString() == "tomcat")
            .GetProperty("sha256").GetString()!.ToLowerInvariant();
    }

    private static string Sha256(byte[] der) => Convert.ToHexStringLower(SHA256.HashData(der));

    private static HttpClient PhoneClient(int port) => new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            // Like a phone: no chain or name check here; trust is TVS's decision (tested above).
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
        },
    })
    { BaseAddress = new Uri($"https://127.0.0.1:{port}") };

    private static Task<RawHttpsConnection> ConnectAsync(int port) => RawHttpsConnection.ConnectAsync(port);
}
