using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SbdServer.Core.Backup;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>
/// Every refusal of the API is an RFC 9457 problem (issue 16 item 5): a stable type per kind, the status, and a detail
/// in the user's terms, including what the framework refuses before an endpoint runs (query values, JSON bodies, body
/// size). On real Kestrel, whose own body limit (30 MB) is below the backup archive limit.
/// </summary>
public sealed class ProblemDetailsApiTests(HttpsApiFactory node) : IClassFixture<HttpsApiFactory>
{
    private const string Device = "SEP00112233AA01";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string?, string?, string> Refusals => new()
    {
        // Query values that do not bind.
        { "GET", "/api/audit?max=abc", null, null, "'max' must be a whole number from 1 to 1000" },
        { "GET", "/api/tvs/queries?max=1.5", null, null, "'max' must be a whole number" },
        { "GET", "/api/capf/sessions?max=ten", null, null, "'max' must be a whole number" },
        { "POST", "/api/restore?preview=maybe", "application/octet-stream", "x", "'preview' must be true or false" },

        // JSON bodies: malformed, wrong type, unknown field, missing, not an object, wrong media type.
        { "POST", "/api/devices", "application/json", "{\"name\":", "not well-formed JSON" },
        { "POST", "/api/devices", "application/json", "{\"name\":\"" + Device + "\",\"model\":\"8861\",\"encryptedConfig\":\"yes\"}", "field 'encryptedConfig' must be true or false" },
        { "POST", "/api/devices", "application/json", "{\"name\":\"" + Device + "\",\"colour\":\"red\"}", "unknown field 'colour'" },
        { "POST", "/api/devices", "application/json", "{\"name\":12}", "field 'name' must be a string" },
        { "POST", "/api/devices", "application/json", "", "The body is empty" },
        { "POST", "/api/devices", "application/json", "[1,2]", "must be a JSON object" },
        { "POST", "/api/devices", "text/plain", "{}", "as JSON (Content-Type application/json)" },
        { "PUT", "/api/nodes/cucm-pub/host", "application/json", "{\"fqdn\":7}", "field 'fqdn' must be a string" },
        { "PUT", "/api/nodes/cucm-pub/host", "application/json", "not json", "not well-formed JSON" },
        { "PUT", $"/api/devices/{Device}/capf", "application/json", "{\"operation\":\"Install\",\"keySize\":\"big\"}", "field 'keySize' must be a whole number" },
        { "PUT", $"/api/devices/{Device}/capf", "application/json", "{\"operation\":\"Install\",\"completesBy\":\"soon\"}", "field 'completesBy' must be a date and time" },
        { "POST", "/api/plan", "application/json", "{\"changes\":[{\"node\":5}]}", "field 'changes[0].node' must be a string" },
        { "POST", "/api/plan", "application/json", "{\"changes\":[{\"nod\":\"cucm-pub\"}]}", "unknown field 'nod' in changes[0]" },

        // Unknown enum values.
        { "PUT", $"/api/devices/{Device}/capf", "application/json", "{\"operation\":\"Explode\"}", "'operation' must be Install, Fetch, Delete or None" },
        { "POST", "/api/nodes/cucm-pub/certificates/tomcat/regenerate?keyAlgorithm=rsa9999", null, null, "'keyAlgorithm' must be one of" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task EveryRefusal_IsAProblemWithAReasonInTheUsersTerms(string method, string path, string? contentType, string? body, string reason)
    {
        using var admin = node.Admin();
        await EnsureDeviceAsync(admin);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (contentType is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body ?? ""));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        using var response = await admin.SendAsync(request, Ct);

        var detail = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid-input");
        Assert.Contains(reason, detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownThings_AreNotFoundProblems()
    {
        using var admin = node.Admin();

        using var device = await admin.GetAsync("/api/devices/SEP0000000000FF", Ct);
        Assert.Contains("No device", await AssertProblemAsync(device, HttpStatusCode.NotFound, "not-found"), StringComparison.Ordinal);
        using var file = await admin.GetAsync("/api/files/NoSuchFile.cnf.xml", Ct);
        Assert.Contains("not found", await AssertProblemAsync(file, HttpStatusCode.NotFound, "not-found"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPkcs12Password_IsAWrongPasswordProblem()
    {
        using var admin = node.Admin();
        using var export = new HttpRequestMessage(HttpMethod.Post, "/api/nodes/cucm-pub/certificates/tomcat/export");
        export.Headers.Add("X-Sbd-Password", "a good long export password");
        using var exported = await admin.SendAsync(export, Ct);
        Assert.Equal(HttpStatusCode.OK, exported.StatusCode);

        using var import = new HttpRequestMessage(HttpMethod.Post, "/api/bulk/import/tomcat")
        {
            Content = new ByteArrayContent(await exported.Content.ReadAsByteArrayAsync(Ct)),
        };
        import.Headers.Add("X-Sbd-Password", "not the export password");
        using var refused = await admin.SendAsync(import, Ct);

        Assert.Contains("password is wrong", await AssertProblemAsync(refused, HttpStatusCode.BadRequest, "wrong-password"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARestoreOver30MB_IsReadAndRefusedForItsContent_NotA500()
    {
        using var admin = node.Admin();
        var before = await admin.GetStringAsync("/api/nodes/cucm-pub/certificates", Ct);

        using var response = await admin.PostAsync("/api/restore", Octets(new byte[50 * 1024 * 1024]), Ct);

        Assert.Contains("nothing was restored", await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid-input"), StringComparison.Ordinal);
        Assert.Equal(before, await admin.GetStringAsync("/api/nodes/cucm-pub/certificates", Ct));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ARestoreOverTheArchiveLimit_Is413WithTheLimit(bool declaredLength)
    {
        // A client of its own: the factory's client buffers request bodies, so it would always declare the length.
        using var factoryClient = node.Admin();
        using var admin = new HttpClient { BaseAddress = factoryClient.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = ApiFactory.Basic("admin", ApiFactory.AdminPassword);
        var body = new byte[BackupService.MaxArchiveBytes + 1];
        using HttpContent content = declaredLength ? Octets(body) : new ChunkedContent(body);

        using var response = await admin.PostAsync("/api/restore", content, Ct);

        var detail = await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "too-large");
        Assert.Contains($"limit{(declaredLength ? " is " : " of ")}{BackupService.MaxArchiveBytes}", detail, StringComparison.Ordinal);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal(BackupService.MaxArchiveBytes, problem.GetProperty("limitBytes").GetInt64());
    }

    [Fact]
    public async Task AnOversizedBulkImport_Is413()
    {
        using var admin = node.Admin();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/bulk/import/tomcat") { Content = Octets(new byte[2 * 1024 * 1024]) };
        request.Headers.Add("X-Sbd-Password", "whatever it is");

        using var response = await admin.SendAsync(request, Ct);

        Assert.Contains("the limit is", await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "too-large"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAdminUploadOverTheFormLimit_Is413WithAReason()
    {
        using var session = new AdminSession(node.HttpsPort);
        using (await session.SignInAsync("admin", ApiFactory.AdminPassword))
        {
        }

        var token = await session.FormTokenAsync("/admin/backup");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(ApiFactory.SecurityPassword), "Password" },
            { new ByteArrayContent(new byte[BackupService.MaxArchiveBytes + (2 << 20)]), "Archive", "huge.sbdbak" },
        };
        // Kestrel refuses the body before reading it and then closes the connection, so the client must wait for the
        // answer before sending (a browser reads it early too).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/backup?handler=Inspect") { Content = form };
        request.Headers.ExpectContinue = true;
        using var response = await session.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("larger than this route accepts", page, StringComparison.Ordinal);
        AssertNoInternals(page);
    }

    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string kind)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("urn:sbdserver:problem:" + kind, problem.GetProperty("type").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        var detail = problem.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail));
        AssertNoInternals(detail);
        return detail;
    }

    /// <summary>No .NET type or parameter names, no server paths.</summary>
    private static void AssertNoInternals(string text)
    {
        foreach (var internalName in new[] { "SbdServer.", "System.", "Int32", "Int64", "Boolean", "DateTimeOffset", "Nullable", "Microsoft.", "/tmp/", "/work/" })
        {
            Assert.DoesNotContain(internalName, text, StringComparison.Ordinal);
        }
    }

    private static ByteArrayContent Octets(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    private static async Task EnsureDeviceAsync(HttpClient admin)
    {
        using var created = await admin.PostAsJsonAsync("/api/devices", new { name = Device, model = "8861" }, Ct);
        Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.BadRequest, $"device setup: {created.StatusCode}");
    }

    /// <summary>A body without Content-Length (chunked), so only the read itself can find it too large.</summary>
    private sealed class ChunkedContent(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
