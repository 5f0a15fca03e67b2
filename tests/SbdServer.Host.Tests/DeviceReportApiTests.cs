using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SbdServer.Core.Devices;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>
/// <c>POST /api/devices/{name}/report</c> and <c>GET /api/inventory</c> through the real host on SQLite: what a phone
/// reports is validated, stored, shown next to <c>trust</c>, and compared with the ITL the node serves now.
/// </summary>
public sealed class DeviceReportApiTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("POST", "/api/devices/SEP001122334455/report")]
    [InlineData("GET", "/api/inventory")]
    [InlineData("GET", "/api/inventory?itlStatus=mismatched")]
    public async Task Routes_WithoutCredentials_Are401(string method, string path)
    {
        using var anonymous = factory.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Json("""{"status":"ITL installed"}""") };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(request, Ct)).StatusCode);
    }

    [Fact]
    public async Task Report_IsNormalisedAndStored_AndTheInventoryComparesItWithTheCurrentItl()
    {
        using var admin = factory.Admin();
        const string Name = "SEP0A0B0C0D0E21";
        await CreateDeviceAsync(admin, Name);
        var itl = await admin.GetByteArrayAsync($"/api/files/ITL{Name}.tlv", Ct);
        var sha1 = Convert.ToHexString(SHA1.HashData(itl));
        var md5 = Convert.ToHexString(MD5.HashData(itl));
        var grouped = string.Join(':', Enumerable.Range(0, 20).Select(i => sha1.Substring(i * 2, 2)));

        // A phone that installed the current ITL: upper-case, grouped hashes as its Trust List menu shows them.
        using var ok = await admin.PostAsync($"/api/devices/{Name}/report", Json(
            $$"""{"itlMd5":"{{md5}}","itlSha1":"{{grouped}}","itlSigner":"CN=ITLRECOVERY_cucm-pub","status":"ITL installed","firmware":"sip88xx.14-2-1","loadInformation":"sip88xx.14-2-1-0001-14"}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var stored = await ok.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(sha1.ToLowerInvariant(), stored.GetProperty("itlSha1").GetString());
        Assert.Equal(md5.ToLowerInvariant(), stored.GetProperty("itlMd5").GetString());

        var device = await admin.GetFromJsonAsync<JsonElement>($"/api/devices/{Name}", Ct);
        Assert.Equal("ITL installed", device.GetProperty("reported").GetProperty("status").GetString());
        Assert.Equal("sip88xx.14-2-1", device.GetProperty("reported").GetProperty("firmware").GetString());
        var itlState = Itl(device);
        Assert.Equal("InSync", itlState.GetProperty("state").GetString());
        Assert.Equal(sha1.ToLowerInvariant(), itlState.GetProperty("reportedSha1").GetString());
        Assert.Equal(itlState.GetProperty("currentSha1").GetString(), itlState.GetProperty("reportedSha1").GetString());

        // Scenario 28: the phone still holds another ITL (its update failed); the latest report wins.
        using var failed = await admin.PostAsync($"/api/devices/{Name}/report", Json(
            $$"""{"itlSha1":"{{new string('9', 40)}}","status":"Trust List Update Failed"}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        device = await admin.GetFromJsonAsync<JsonElement>($"/api/devices/{Name}", Ct);
        Assert.Equal("ReportedMismatch", Itl(device).GetProperty("state").GetString());
        Assert.Equal("Trust List Update Failed", device.GetProperty("reported").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, device.GetProperty("reported").GetProperty("firmware").ValueKind);

        var mismatched = await admin.GetFromJsonAsync<JsonElement>("/api/inventory?itlStatus=mismatched", Ct);
        var row = mismatched.EnumerateArray().Single(e => e.GetProperty("name").GetString() == Name);
        Assert.Equal("ReportedMismatch", row.GetProperty("itl").GetProperty("state").GetString());
        Assert.All(mismatched.EnumerateArray(), e => Assert.Equal("ReportedMismatch", e.GetProperty("itl").GetProperty("state").GetString()));
        var inSync = await admin.GetFromJsonAsync<JsonElement>("/api/inventory?itlStatus=insync", Ct);
        Assert.DoesNotContain(inSync.EnumerateArray(), e => e.GetProperty("name").GetString() == Name);
        var all = await admin.GetFromJsonAsync<JsonElement>("/api/inventory", Ct);
        Assert.Contains(all.EnumerateArray(), e => e.GetProperty("name").GetString() == Name);

        // Reporting the current ITL again brings the device back in sync.
        (await admin.PostAsync($"/api/devices/{Name}/report", Json($$"""{"itlSha1":"{{sha1}}","status":"Trust List updated"}"""), Ct)).Dispose();
        Assert.Equal("InSync", Itl(await admin.GetFromJsonAsync<JsonElement>($"/api/devices/{Name}", Ct)).GetProperty("state").GetString());

        // A fetch after the latest report is the newer evidence: the phone took the current ITL since it reported.
        (await admin.PostAsync($"/api/devices/{Name}/report", Json($$"""{"itlSha1":"{{new string('8', 40)}}"}"""), Ct)).Dispose();
        Assert.Equal("ReportedMismatch", Itl(await admin.GetFromJsonAsync<JsonElement>($"/api/devices/{Name}", Ct)).GetProperty("state").GetString());
        await factory.Services.GetRequiredService<IServedFileStore>().RecordAsync(
            [new DeviceServedFile { Id = Guid.CreateVersion7(), DeviceName = Name, Kind = "ITL", Md5 = md5.ToLowerInvariant(), Sha1 = sha1.ToLowerInvariant(), ServedAt = DateTimeOffset.UtcNow.AddSeconds(5) }],
            Ct);
        Assert.Equal("InSync", Itl(await admin.GetFromJsonAsync<JsonElement>($"/api/devices/{Name}", Ct)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Inventory_AsCsv_HasAHeaderOneRowPerDevice_AndDefusesFormulas()
    {
        using var admin = factory.Admin();
        const string Name = "SEP0A0B0C0D0E22";
        await CreateDeviceAsync(admin, Name);
        (await admin.PostAsync($"/api/devices/{Name}/report", Json("""{"status":"=HYPERLINK(\"x\")","itlSigner":"CN=a, O=b"}"""), Ct)).Dispose();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/inventory?itlStatus=mismatched");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await admin.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync(Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("name,model,callManagerGroup,itlState,", lines[0], StringComparison.Ordinal);
        var line = Assert.Single(lines, l => l.StartsWith(Name + ",", StringComparison.Ordinal));

        // The phone holds no ITL by its own word while the node serves one: mismatched.
        Assert.Contains(",ReportedMismatch,", line, StringComparison.Ordinal);
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\")\"", line, StringComparison.Ordinal);
        Assert.Contains("\"CN=a, O=b\"", line, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadReports => new()
    {
        { "application/json", """{"status":"ok","colour":"red"}""", "colour" },
        { "application/json", """{"itlSha1":"0123"}""", "'itlSha1'" },
        { "application/json", """{"itlMd5":"zz23456789abcdef0123456789abcdef"}""", "'itlMd5'" },
        { "application/json", """{"ctlSha1":"0123456789abcdef0123456789abcdef012345678"}""", "'ctlSha1'" },
        { "application/json", "{\"status\":\"" + new string('s', 200) + "\"}", "'status'" },
        { "application/json", "{\"itlSigner\":\"" + new string('s', 600) + "\"}", "'itlSigner'" },
        { "application/json", """{"status":"a\u0007b"}""", "control characters" },
        { "application/json", """{"itlSha1":12}""", "itlSha1" },
        { "application/json", "{}", "empty" },
        { "application/json", "[1]", "not a valid device report" },
        { "application/json", "{\"firmware\":\"" + new string('f', 17 * 1024) + "\"}", "limit" },
        { "text/plain", """{"status":"ok"}""", "JSON" },
    };

    [Theory]
    [MemberData(nameof(BadReports))]
    public async Task BadReport_Is400WithAReason_AndKeepsThePreviousReport(string contentType, string body, string reasonMentions)
    {
        using var admin = factory.Admin();
        const string Name = "SEP0A0B0C0D0E23";
        await CreateDeviceAsync(admin, Name);
        (await admin.PostAsync($"/api/devices/{Name}/report", Json("""{"status":"ITL installed"}"""), Ct)).Dispose();

        using var response = await admin.PostAsync($"/api/devices/{Name}/report", new StringContent(body, Encoding.UTF8, contentType), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reasonMentions, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var device = await admin.GetFromJsonAsync<JsonElement>($"/api/devices/{Name}", Ct);
        Assert.Equal("ITL installed", device.GetProperty("reported").GetProperty("status").GetString());
    }

    [Fact]
    public async Task UnknownDeviceOrBadFilter_AreRefused()
    {
        using var admin = factory.Admin();
        using var unknown = await admin.PostAsync("/api/devices/SEP0A0B0C0D0EFE/report", Json("""{"status":"ITL installed"}"""), Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var notAName = await admin.PostAsync("/api/devices/printer/report", Json("""{"status":"ITL installed"}"""), Ct);
        Assert.Equal(HttpStatusCode.NotFound, notAName.StatusCode);

        using var filter = await admin.GetAsync("/api/inventory?itlStatus=broken", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, filter.StatusCode);
        Assert.Contains("itlStatus", (await filter.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        // A device that never reported shows no report.
        await CreateDeviceAsync(admin, "SEP0A0B0C0D0E24");
        var device = await admin.GetFromJsonAsync<JsonElement>("/api/devices/SEP0A0B0C0D0E24", Ct);
        Assert.Equal(JsonValueKind.Null, device.GetProperty("reported").ValueKind);
        Assert.Equal("NeverFetched", Itl(device).GetProperty("state").GetString());
    }

    internal static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    internal static async Task CreateDeviceAsync(HttpClient admin, string name)
    {
        // Theory rows share the device: the second creation finds it there.
        using var response = await admin.PostAsync("/api/devices", Json($$"""{"name":"{{name}}","model":"8861"}"""), Ct);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("already exists", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    private static JsonElement Itl(JsonElement device) =>
        device.GetProperty("trust").EnumerateArray().Single(t => t.GetProperty("file").GetString() == "ITL");
}
