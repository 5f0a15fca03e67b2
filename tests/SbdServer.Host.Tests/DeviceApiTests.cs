using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SbdServer.Core.Events;
using SbdServer.Testing;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary><c>/api/devices</c> through the real host on SQLite: validation, storage, audit and change events.</summary>
public sealed class DeviceApiTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> DeviceRoutes => new()
    {
        { "GET", "/api/devices" },
        { "POST", "/api/devices" },
        { "GET", "/api/devices/SEP001122334455" },
        { "PUT", "/api/devices/SEP001122334455" },
        { "DELETE", "/api/devices/SEP001122334455" },
        { "PUT", "/api/devices/SEP001122334455/certificate" },
        { "POST", "/api/devices/SEP001122334455/reset" },
        { "GET", "/api/devices/SEP001122334455/reset" },
        { "DELETE", "/api/devices/SEP001122334455/reset" },
        { "GET", "/api/files/ITLFile.tlv" },
        { "GET", "/api/files/ITLFile.tlv?node=cucm-pub" },
    };

    [Theory]
    [MemberData(nameof(DeviceRoutes))]
    public async Task EveryDeviceRoute_WithoutCredentials_Is401(string method, string path)
    {
        using var anonymous = factory.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(request, Ct)).StatusCode);
    }

    [Fact]
    public async Task Create_NormalisesTheMac_ShowsEveryField_AuditsAndRaisesAnEvent()
    {
        using var admin = factory.Admin();
        var seen = new ConcurrentQueue<CertificateStoreChange>();
        using var subscription = factory.Services.GetRequiredService<ICertificateStoreEvents>().Subscribe(seen.Enqueue);

        var response = await admin.PostAsJsonAsync("/api/devices", new
        {
            name = "00:1a:2b:3c:4d:01",
            model = "CP-8861",
            protocol = "SCCP",
            description = "lobby",
            callManagerGroup = "default",
            securityProfile = "Encrypted",
            encryptedConfig = true,
        }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var device = await admin.GetFromJsonAsync<JsonElement>("/api/devices/sep001a2b3c4d01", Ct);
        Assert.Equal("SEP001A2B3C4D01", device.GetProperty("name").GetString());
        Assert.Equal("8861", device.GetProperty("model").GetString());
        Assert.Equal("SCCP", device.GetProperty("protocol").GetString());
        Assert.Equal("lobby", device.GetProperty("description").GetString());
        Assert.Equal("Default", device.GetProperty("callManagerGroup").GetString());
        Assert.Equal("Encrypted", device.GetProperty("securityProfile").GetString());
        Assert.True(device.GetProperty("encryptedConfig").GetBoolean());
        Assert.Equal(JsonValueKind.Null, device.GetProperty("certificate").ValueKind);

        Assert.Contains(seen, c => c.Kind == CertificateStoreChangeKind.DeviceChanged && c.Name == "SEP001A2B3C4D01");
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/audit", Ct);
        Assert.Contains(audit.EnumerateArray(), a =>
            a.GetProperty("action").GetString() == "device.create" && a.GetProperty("target").GetString() == "SEP001A2B3C4D01"
            && a.GetProperty("actor").GetString() == "admin");

        // Creating it again is refused.
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/devices", new { name = "001A2B3C4D01", model = "8861" }, Ct)).StatusCode);
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"name":"00:11:22:33:44","model":"8861"}""", "12" },
        { """{"name":"00:11:22:33:44:GG","model":"8861"}""", "MAC" },
        { """{"name":"SEP001122334466","model":"1234"}""", "model" },
        { """{"name":"SEP001122334466"}""", "model" },
        { """{"name":"SEP001122334466","model":"8861","protocol":"H323"}""", "protocol" },
        { """{"name":"SEP001122334466","model":"8861","securityProfile":"Paranoid"}""", "securityProfile" },
        { """{"name":"SEP001122334466","model":"8861","callManagerGroup":"Nope"}""", "callManagerGroup" },
        { """{"name":"SEP001122334466","model":"8861","colour":"red"}""", "colour" },
        { """{"name":"SEP001122334466","model":"8861","encryptedConfig":"yes"}""", "encryptedConfig" },
        { """[1,2]""", "device" },
        { """{"name":"SEP001122334466","model":""", "device" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Create_WithBadInput_Is400WithAReason_AndStoresNothing(string body, string reasonMentions)
    {
        using var admin = factory.Admin();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        var response = await admin.PostAsync("/api/devices", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(reasonMentions, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/devices", Ct);
        Assert.DoesNotContain(list.EnumerateArray(), d => d.GetProperty("name").GetString() == "SEP001122334466");
    }

    [Fact]
    public async Task Update_ChangesOnlyGivenFields_RefusesRenameAndUnknownDevice_DeleteRemoves()
    {
        using var admin = factory.Admin();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/devices", new { name = "0011.2233.4402", model = "7962", protocol = "SIP" }, Ct)).StatusCode);

        var updated = await admin.PutAsJsonAsync("/api/devices/SEP001122334402", new { description = "desk", encryptedConfig = true }, Ct);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var device = await updated.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("7962", device.GetProperty("model").GetString());
        Assert.Equal("SIP", device.GetProperty("protocol").GetString());
        Assert.Equal("desk", device.GetProperty("description").GetString());
        Assert.True(device.GetProperty("encryptedConfig").GetBoolean());

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync("/api/devices/SEP001122334402", new { name = "SEP001122334403" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync("/api/devices/SEP001122334402", new { model = "9999" }, Ct)).StatusCode);
        Assert.Equal("7962", (await admin.GetFromJsonAsync<JsonElement>("/api/devices/SEP001122334402", Ct)).GetProperty("model").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsJsonAsync("/api/devices/SEP0011223344FF", new { description = "x" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/devices/not-a-mac", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/devices/00-11-22-33-44-02", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/devices/SEP001122334402", Ct)).StatusCode);
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/audit", Ct);
        Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("action").GetString() == "device.update");
        Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("action").GetString() == "device.delete");
    }

    [Fact]
    public async Task Certificate_PemOrDer_IsStoredWithItsMd5_BadUploadsAre400AndChangeNothing()
    {
        using var admin = factory.Admin();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/devices", new { name = "SEP001122334410", model = "8861" }, Ct)).StatusCode);
        using var rsa = RSA.Create(2048);
        var der = TestPki.SelfSignedFor("CN=CP-8861-SEP001122334410", rsa);
        var pem = Encoding.ASCII.GetBytes(PemEncoding.WriteString("CERTIFICATE", der));

        var response = await admin.PutAsync("/api/devices/SEP001122334410/certificate", new ByteArrayContent(pem), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var certificate = (await admin.GetFromJsonAsync<JsonElement>("/api/devices/SEP001122334410", Ct)).GetProperty("certificate");
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(der)), certificate.GetProperty("md5").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(der)), certificate.GetProperty("sha256").GetString());

        var ecDer = TestPki.SelfSigned("CN=ec");
        foreach (var bad in new[] { Encoding.ASCII.GetBytes("hello, not a certificate"), new byte[200 * 1024], [], ecDer, [.. pem, .. pem] })
        {
            var refused = await admin.PutAsync("/api/devices/SEP001122334410/certificate", new ByteArrayContent(bad), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.False(string.IsNullOrWhiteSpace((await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString()));
        }

        var after = (await admin.GetFromJsonAsync<JsonElement>("/api/devices/SEP001122334410", Ct)).GetProperty("certificate");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(der)), after.GetProperty("sha256").GetString());
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/api/devices/SEP001122334410/certificate", new ByteArrayContent(der), Ct)).StatusCode);
    }

    [Fact]
    public async Task Reset_IsPendingUntilAcknowledged()
    {
        using var admin = factory.Admin();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/devices", new { name = "SEP001122334420", model = "7962" }, Ct)).StatusCode);
        Assert.False((await admin.GetFromJsonAsync<JsonElement>("/api/devices/SEP001122334420/reset", Ct)).GetProperty("resetPending").GetBoolean());

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/devices/SEP001122334420/reset", null, Ct)).StatusCode);

        Assert.True((await admin.GetFromJsonAsync<JsonElement>("/api/devices/SEP001122334420/reset", Ct)).GetProperty("resetPending").GetBoolean());
        Assert.True((await admin.GetFromJsonAsync<JsonElement>("/api/devices/SEP001122334420", Ct)).GetProperty("resetPending").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync("/api/devices/SEP001122334420/reset", Ct)).StatusCode);
        Assert.False((await admin.GetFromJsonAsync<JsonElement>("/api/devices/SEP001122334420/reset", Ct)).GetProperty("resetPending").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/devices/SEP0011223344EE/reset", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task Create_WithoutJsonContentType_Is400()
    {
        using var admin = factory.Admin();
        using var content = new StringContent("""{"name":"SEP001122334430","model":"8861"}""", Encoding.UTF8, "text/plain");
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("/api/devices", content, Ct)).StatusCode);
    }
}
