using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SbdServer.Core.Hosting;
using SbdServer.Listeners;
using SbdServer.PhoneServices.Tests.Support;
using SbdServer.Testing;
using Xunit;

namespace SbdServer.PhoneServices.Tests;

public sealed class ServerTests
{
    [Fact]
    public async Task Handshake_PresentsTheSourceCertificate()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient();

        var response = await client.Http.GetAsync("/ccmcip/xmldirectory.jsp", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(server.Certificates.CurrentDer, client.PresentedCertificate);
    }

    [Fact]
    public async Task CertificateChange_NextConnectionGetsNewOne_OpenConnectionKeepsOld()
    {
        await using var server = await RunningServer.StartAsync();
        var before = server.Certificates.CurrentDer;
        await using var open = await RawHttpsConnection.ConnectAsync(server.Port);
        Assert.Equal(before, open.Certificate);

        server.Certificates.Replace(TestPki.SelfSignedRsa(RunningServer.Fqdn));
        var after = server.Certificates.CurrentDer;
        Assert.NotEqual(before, after);

        await using var fresh = await RawHttpsConnection.ConnectAsync(server.Port);
        Assert.Equal(after, fresh.Certificate);

        // The connection opened before the change still answers, on the old certificate.
        var (status, body) = await open.GetAsync("/ccmcip/xmldirectory.jsp");
        Assert.Equal(200, status);
        Assert.Contains("CiscoIPPhoneInput", body, StringComparison.Ordinal);
        Assert.Equal(before, open.Certificate);
    }

    [Fact]
    public async Task CertificateReloadFails_KeepsPresentingThePreviousOne()
    {
        await using var server = await RunningServer.StartAsync();
        var before = server.Certificates.CurrentDer;

        server.Certificates.Fail = true;
        server.Certificates.RaiseChanged();
        await using var connection = await RawHttpsConnection.ConnectAsync(server.Port);

        Assert.Equal(before, connection.Certificate);
        Assert.Equal(200, (await connection.GetAsync("/ccmcip/xmldirectory.jsp")).Status);
    }

    [Fact]
    public async Task CertificateUnreadableAtStart_StartFails()
    {
        var source = new TestCertificateSource(TestPki.Tomcat) { Fail = true };

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => RunningServer.StartAsync(certificates: source));

        Assert.Contains("certificate store is unavailable", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EcCertificate_IsServedToo()
    {
        var source = new TestCertificateSource(TestPki.SelfSignedEc(RunningServer.Fqdn));
        await using var server = await RunningServer.StartAsync(certificates: source);
        await using var connection = await RawHttpsConnection.ConnectAsync(server.Port);

        Assert.Equal(source.CurrentDer, connection.Certificate);
    }

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task Tls12AndTls13_Accepted(SslProtocols protocol)
    {
        await using var server = await RunningServer.StartAsync();
        await using var connection = await RawHttpsConnection.ConnectAsync(server.Port, protocol);

        Assert.Equal(protocol, connection.Protocol);
    }

    [Fact]
    public async Task OldTls_RefusedByDefault()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, TlsPolicy.HttpsProtocols(allowTls10: false));

        // A client that offers only TLS 1.0 (at a security level that lets it) cannot complete a handshake.
        var openssl = Requirements.Tool("openssl");
        var (exitCode, output) = await Tool.RunAsync(openssl,
            ["s_client", "-connect", $"127.0.0.1:{server.Port}", "-tls1", "-cipher", "DEFAULT:@SECLEVEL=0", "-brief"], 20_000);

        Assert.NotEqual(0, exitCode);
        Assert.DoesNotContain("Protocol version: TLSv1\n", output.Replace("\r", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/ccmcip/getservicesmenu.jsp")]
    [InlineData("GET", "/CCMCIP/XMLDIRECTORY.JSP")]
    [InlineData("GET", "/ccmcip/xmldirectory.jsp/../../api/nodes")]
    [InlineData("POST", "/ccmcip/xmldirectory.jsp")]
    [InlineData("PUT", "/ccmcip/authenticate.jsp")]
    [InlineData("DELETE", "/ccmcip/authenticate.jsp")]
    public async Task AnythingElse_404(string method, string path)
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        var response = await client.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task OversizedBody_RefusedWith413()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient();
        using var form = new StringContent("UserID=admin&Password=" + new string('x', 64 * 1024), Encoding.ASCII,
            "application/x-www-form-urlencoded");

        var response = await client.Http.PostAsync("/ccmcip/authenticate.jsp", form, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task OversizedHeaders_Refused()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ccmcip/xmldirectory.jsp");
        request.Headers.Add("X-Filler", new string('a', 32 * 1024));

        var response = await client.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task PortInUse_StartFailsNamingPortAndFix()
    {
        using var blocker = new TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((IPEndPoint)blocker.LocalEndpoint).Port;

        var ex = await Assert.ThrowsAsync<ListenerBindException>(() => RunningServer.StartAsync(o => o.Port = port));

        Assert.Contains($"port {port}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("already in use", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PhoneServices:Port", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disabled_DoesNotListen()
    {
        await using var server = await RunningServer.StartAsync(o => o.Enabled = false);

        Assert.Null(server.Listener.LocalEndPoint);
    }

    [Fact]
    public void Configuration_BindsDirectoryFromCamelCaseKeys()
    {
        var options = Resolve(new Dictionary<string, string?>
        {
            ["PhoneServices:Port"] = "9443",
            ["PhoneServices:Directory:0:firstName"] = "Anna",
            ["PhoneServices:Directory:0:lastName"] = "Smith",
            ["PhoneServices:Directory:0:telephone"] = "+41441234567",
        });

        Assert.Equal(9443, options.Port);
        var entry = Assert.Single(options.Directory);
        Assert.Equal(("Anna", "Smith", "+41441234567"), (entry.FirstName, entry.LastName, entry.Telephone));
    }

    [Theory]
    [InlineData("PhoneServices:Address", "example.com", "PhoneServices:Address")]
    [InlineData("PhoneServices:Port", "70000", "Port")]
    [InlineData("PhoneServices:Directory:0:telephone", "12 34", "PhoneServices:Directory:0:Telephone")]
    [InlineData("PhoneServices:Directory:0:telephone", "", "PhoneServices:Directory:0:Telephone")]
    [InlineData("PhoneServices:Directory:0:lastName", "bell\u0007", "PhoneServices:Directory:0:LastName")]
    public void Configuration_Invalid_RefusedNamingTheKey(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?>
        {
            ["PhoneServices:Directory:0:firstName"] = "Anna",
            ["PhoneServices:Directory:0:telephone"] = "1000",
            [key] = value,
        };

        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(settings));

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    private static PhoneServicesOptions Resolve(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSbdPhoneServices();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<PhoneServicesOptions>>().Value;
    }
}
