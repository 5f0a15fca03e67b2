using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SbdServer.Capf;
using SbdServer.Core.DeviceManagement;
using SbdServer.Phone.Capf;
using SbdServer.Sip;
using SbdServer.Testing;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>
/// The secure SIP port asks for the phone's certificate, as CUCM does for a device with an authenticated or encrypted
/// profile: a REGISTER is accepted only with the device's LSC from this cluster's CAPF or a MIC from a manufacturing
/// CA in CAPF-trust or CallManager-trust, valid now and naming the device; each other case is a 403 saying why.
/// </summary>
public sealed class SipClientCertificateTests(SipClientCertificateTests.Factory factory) : IClassFixture<SipClientCertificateTests.Factory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private int Port => factory.Services.GetRequiredService<SipHostedService>().Server!.LocalEndPoint.Port;

    [Fact]
    public async Task Lsc_FromThisClustersCapf_Registers_TheSameLscForAnotherDeviceDoesNot()
    {
        using var admin = factory.Admin();
        const string Mac = "0A0B0C0D6001";
        const string Other = "0A0B0C0D6002";
        await DeviceAsync(admin, Mac);
        await DeviceAsync(admin, Other);
        using var lsc = await InstallLscAsync(admin, "SEP" + Mac);

        Assert.Equal((200, "OK"), await RegisterAsync(Mac, lsc));

        var refused = await RegisterAsync(Other, lsc);
        Assert.Equal((403, $"Forbidden (the phone's certificate names CN SEP{Mac}, not SEP{Other})"), refused);
    }

    [Fact]
    public async Task NoCertificate_IsRefused()
    {
        using var admin = factory.Admin();
        const string Mac = "0A0B0C0D6003";
        await DeviceAsync(admin, Mac);

        Assert.Equal((403, "Forbidden (the phone presented no certificate (LSC or MIC))"), await RegisterAsync(Mac, null));
    }

    [Fact]
    public async Task Mic_RefusedUntilItsCaIsInCapfTrustOrCallManagerTrust()
    {
        using var admin = factory.Admin();
        const string Mac = "0A0B0C0D6004";
        await DeviceAsync(admin, Mac);
        using var first = TestPki.CertificateAuthority("CN=Stand-in Manufacturing CA 1 " + Guid.NewGuid().ToString("N")[..8]);
        using var second = TestPki.CertificateAuthority("CN=Stand-in Manufacturing CA 2 " + Guid.NewGuid().ToString("N")[..8]);
        using var micOfFirst = TestPki.IssuedBy(first, "CN=CP-8861-SEP" + Mac);
        using var micOfSecond = TestPki.IssuedBy(second, "CN=CP-8861-SEP" + Mac);

        var untrusted = await RegisterAsync(Mac, micOfFirst);
        Assert.Equal(403, untrusted.Code);
        Assert.Equal("Forbidden (the phone's certificate is neither an LSC of this cluster's CAPF nor issued by a CAPF-trust or "
            + "CallManager-trust certificate)", untrusted.Reason);

        await UploadAsync(admin, "CAPF-trust", first);
        Assert.Equal((200, "OK"), await RegisterAsync(Mac, micOfFirst));

        Assert.Equal(403, (await RegisterAsync(Mac, micOfSecond)).Code);
        await UploadAsync(admin, "CallManager-trust", second);
        Assert.Equal((200, "OK"), await RegisterAsync(Mac, micOfSecond));

        // Another trust store (tomcat-trust holds web CAs, not phones' issuers) does not vouch for a phone.
        using var third = TestPki.CertificateAuthority("CN=Stand-in Web CA " + Guid.NewGuid().ToString("N")[..8]);
        using var micOfThird = TestPki.IssuedBy(third, "CN=CP-8861-SEP" + Mac);
        await UploadAsync(admin, "tomcat-trust", third);
        Assert.Equal(403, (await RegisterAsync(Mac, micOfThird)).Code);
    }

    [Fact]
    public async Task TrustedIssuer_ButSelfSignedExpiredOrAnotherName_IsRefused()
    {
        using var admin = factory.Admin();
        const string Mac = "0A0B0C0D6005";
        await DeviceAsync(admin, Mac);
        using var ca = PastCertificateAuthority("CN=Stand-in Manufacturing CA old " + Guid.NewGuid().ToString("N")[..8]);
        await UploadAsync(admin, "CAPF-trust", ca);

        using var current = Issued(ca, "CN=CP-8861-SEP" + Mac, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        Assert.Equal((200, "OK"), await RegisterAsync(Mac, current));

        using var expired = Issued(ca, "CN=CP-8861-SEP" + Mac, DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1));
        Assert.Equal((403, "Forbidden (the phone's certificate is not valid now)"), await RegisterAsync(Mac, expired));

        using var longer = Issued(ca, "CN=CP-8861-SEP" + Mac + "0", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        Assert.Equal((403, $"Forbidden (the phone's certificate names CN CP-8861-SEP{Mac}0, not SEP{Mac})"), await RegisterAsync(Mac, longer));

        using var selfSigned = SelfSigned("CN=SEP" + Mac);
        Assert.Equal(403, (await RegisterAsync(Mac, selfSigned)).Code);
    }

    [Theory]
    [InlineData("SEP0A0B0C0D6001", true)]
    [InlineData("sep0a0b0c0d6001", true)]
    [InlineData("CP-8861-SEP0A0B0C0D6001", true)]
    [InlineData("CP-8861-SEP0A0B0C0D60011", false)]
    [InlineData("XSEP0A0B0C0D6001", false)]
    [InlineData("SEP0A0B0C0D6002", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void CommonName_NamesTheDevice_AsItselfOrAfterAModelPrefix(string? cn, bool names) =>
        Assert.Equal(names, PhoneCertificateTrust.NamesDevice(cn, "SEP0A0B0C0D6001"));

    internal static async Task UploadAsync(HttpClient admin, string store, X509Certificate2 certificate)
    {
        var response = await admin.PostAsync($"/api/trust/{store}",
            new StringContent(certificate.ExportCertificatePem(), Encoding.ASCII, "application/x-pem-file"), Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private async Task<(int Code, string Reason)> RegisterAsync(string mac, X509Certificate2? certificate)
    {
        await using var phone = await SipClient.OpenAsync(Port, certificate);
        await phone.SendAsync(SipText.Register(mac));
        var answer = await phone.ReadResponseAsync();
        return (answer.Code, answer.Reason);
    }

    private async Task<X509Certificate2> InstallLscAsync(HttpClient admin, string name)
    {
        var schedule = await admin.PutAsJsonAsync($"/api/devices/{name}/capf", new { operation = "Install", authMode = "NullString" }, Ct);
        Assert.True(schedule.IsSuccessStatusCode, await schedule.Content.ReadAsStringAsync(Ct));
        using var capf = X509Certificate2.CreateFromPem(await admin.GetStringAsync("/api/nodes/cucm-pub/certificates/CAPF/pem", Ct));
        var port = factory.Services.GetRequiredService<CapfHostedService>().Server!.LocalEndPoint.Port;
        var options = new CapfClientOptions { ExpectedServerCertificateHash = SHA1.HashData(capf.RawData) };
        var result = await CapfClient.RunAsync("127.0.0.1", port, new CapfEnrollment(name), options, Ct);
        Assert.Equal(CapfClientOutcome.Installed, result.Outcome);
        return X509Certificate2.CreateFromPem(result.LscPem!, result.LscPem!);
    }

    private static async Task DeviceAsync(HttpClient admin, string mac)
    {
        var response = await admin.PostAsJsonAsync("/api/devices", new { name = "SEP" + mac, model = "8861", securityProfile = "Authenticated" }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>A CA valid since 60 days ago, so it can issue a certificate that has already expired.</summary>
    private static X509Certificate2 PastCertificateAuthority(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddYears(5));
    }

    private static X509Certificate2 Issued(X509Certificate2 ca, string subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var issued = request.Create(ca, notBefore, notAfter, TestPki.Serial(8));
        return issued.CopyWithPrivateKey(key);
    }

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    /// <summary>A host with the SIP port on and its default: the phone's certificate asked for and checked.</summary>
    public sealed class Factory : ApiFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Sip:Enabled"] = "true",
            ["Sip:Address"] = "127.0.0.1",
            ["Sip:Port"] = "0",
        };
    }
}

/// <summary><c>Sip:RequireClientCertificate=false</c>: the phone is not asked for a certificate and registers without one.</summary>
public sealed class SipWithoutClientCertificateTests(SipWithoutClientCertificateTests.Factory factory)
    : IClassFixture<SipWithoutClientCertificateTests.Factory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NotAsked_RegistersWithoutACertificate_AndAPresentedOneIsNotSent()
    {
        using var admin = factory.Admin();
        const string Mac = "0A0B0C0D6101";
        var created = await admin.PostAsJsonAsync("/api/devices", new { name = "SEP" + Mac, model = "8861", securityProfile = "Encrypted" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var port = factory.Services.GetRequiredService<SipHostedService>().Server!.LocalEndPoint.Port;

        await using (var bare = await SipClient.OpenAsync(port))
        {
            await bare.SendAsync(SipText.Register(Mac));
            Assert.Equal(200, (await bare.ReadResponseAsync()).Code);
        }

        using var ca = TestPki.CertificateAuthority("CN=Stand-in Manufacturing CA unasked");
        using var mic = TestPki.IssuedBy(ca, "CN=CP-8861-SEP" + Mac);
        await using var withMic = await SipClient.OpenAsync(port, mic);
        Assert.False(withMic.MutuallyAuthenticated);
        await withMic.SendAsync(SipText.Register(Mac));
        Assert.Equal(200, (await withMic.ReadResponseAsync()).Code);
    }

    public sealed class Factory : ApiFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Sip:Enabled"] = "true",
            ["Sip:Address"] = "127.0.0.1",
            ["Sip:Port"] = "0",
            ["Sip:RequireClientCertificate"] = "false",
        };
    }
}
