using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SbdServer.Core.Certificates;
using SbdServer.Crypto.Certificates;
using SbdServer.Testing;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>The admin REST API through <see cref="ApiFactory"/>: auth, shapes, bad input, 409 flow, backup.</summary>
public sealed class ApiTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Node = "cucm-pub";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> ProtectedRoutes => new()
    {
        { "GET", "/api/nodes" },
        { "GET", $"/api/nodes/{Node}/certificates" },
        { "GET", $"/api/nodes/{Node}/certificates/CallManager/pem" },
        { "POST", $"/api/nodes/{Node}/certificates/tomcat/regenerate" },
        { "POST", $"/api/nodes/{Node}/itl/propagated" },
        { "PUT", $"/api/nodes/{Node}/host" },
        { "POST", "/api/trust/tomcat-trust" },
        { "DELETE", $"/api/trust/tomcat-trust/{new string('a', 64)}" },
        { "GET", "/api/parameters/TftpFileSignatureAlgorithm" },
        { "PUT", "/api/parameters/TftpFileSignatureAlgorithm" },
        { "GET", "/api/parameters" },
        { "POST", "/api/backup" },
        { "POST", "/api/restore" },
        { "GET", "/api/audit" },
        { "POST", "/api/auth/token" },
        { "GET", "/openapi/v1.json" },
        { "POST", $"/api/nodes/{Node}/certificates/tomcat/csr" },
        { "GET", $"/api/nodes/{Node}/certificates/tomcat/csr" },
        { "DELETE", $"/api/nodes/{Node}/certificates/tomcat/csr" },
        { "POST", $"/api/nodes/{Node}/certificates/tomcat/signed" },
        { "POST", $"/api/nodes/{Node}/certificates/tomcat/export" },
        { "POST", "/api/bulk/import/tomcat" },
    };

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task EveryRoute_WithoutOrWithWrongCredentials_Is401(string method, string path)
    {
        using var anonymous = factory.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        var response = await anonymous.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var wrong = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        wrong.Headers.Authorization = ApiFactory.Basic("admin", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(wrong, Ct)).StatusCode);

        using var badToken = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        badToken.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(badToken, Ct)).StatusCode);
    }

    [Fact]
    public async Task Health_IsAnonymous()
    {
        using var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health", Ct)).StatusCode);
    }

    [Fact]
    public async Task BearerToken_FromBasic_Authenticates()
    {
        using var admin = factory.Admin();
        var token = await (await admin.PostAsync("/api/auth/token", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());

        var nodes = await client.GetFromJsonAsync<JsonElement>("/api/nodes", Ct);

        Assert.Equal(Node, nodes[0].GetProperty("name").GetString());

        // A token cannot mint more tokens.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/auth/token", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task Certificates_ListHasTheDocumentedShape_AndPemIsTheCertificateOnly()
    {
        using var admin = factory.Admin();

        var list = await admin.GetFromJsonAsync<JsonElement>($"/api/nodes/{Node}/certificates", Ct);

        var names = list.EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Superset(new HashSet<string?> { "CallManager", "TVS", "CAPF", "tomcat", "ipsec", "ITLRecovery" }, names.ToHashSet());
        foreach (var c in list.EnumerateArray())
        {
            foreach (var field in new[] { "name", "store", "serialNumber", "subject", "issuer", "notAfter", "sha1", "sha256" })
            {
                Assert.True(c.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null, field);
            }
        }

        var callManager = list.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "CallManager");
        Assert.Contains("CN=cucm-pub.lab.example", callManager.GetProperty("subject").GetString(), StringComparison.Ordinal);
        var pem = await admin.GetStringAsync($"/api/nodes/{Node}/certificates/CallManager/pem", Ct);
        Assert.DoesNotContain("PRIVATE KEY", pem, StringComparison.Ordinal);
        var der = new CertificateCodec().ReadCertificates(Encoding.ASCII.GetBytes(pem)).Single();
        Assert.Equal(callManager.GetProperty("sha256").GetString(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(der)));
    }

    public static TheoryData<string, string, string?, string?, string> BadRequests => new()
    {
        { "POST", $"/api/nodes/{Node}/certificates/Nonsense/regenerate", null, null, "not an identity certificate" },
        { "POST", $"/api/nodes/{Node}/certificates/tomcat/regenerate?keyAlgorithm=rsa9999", null, null, "keyAlgorithm" },
        { "POST", $"/api/nodes/{Node}/certificates/tomcat/regenerate?confirm=maybe", null, null, "confirm" },
        { "POST", "/api/trust/tomcat-trust", "text/plain", "hello", "Content-Type" },
        { "POST", "/api/trust/tomcat-trust", "application/x-pem-file", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "" },
        { "POST", "/api/trust/tomcat-trust", "application/pkix-cert", "not der at all", "" },
        { "POST", "/api/trust/tomcat-trust", "application/x-pem-file", "", "empty" },
        { "POST", "/api/trust/Nope-trust", "application/x-pem-file", "x", "not a trust store" },
        { "DELETE", "/api/trust/tomcat-trust/xyz", null, null, "64 hex digits" },
        { "DELETE", "/api/trust/Nope-trust/" + "ab", null, null, "not a trust store" },
        { "PUT", "/api/parameters/TftpFileSignatureAlgorithm", "application/json", "{\"value\":\"MD5\"}", "SHA-512" },
        { "PUT", "/api/parameters/TftpFileSignatureAlgorithm", "application/json", "{\"value\":", "JSON" },
        { "PUT", "/api/parameters/TftpFileSignatureAlgorithm", "application/json", "{}", "value" },
        { "PUT", "/api/parameters/SecuredServicesUrl", "application/json", "{\"value\":\"ftp://x\"}", "https" },
        { "PUT", $"/api/nodes/{Node}/host", "application/json", "{\"fqdn\":\"bad host!\"}", "DNS name" },
        { "PUT", $"/api/nodes/{Node}/host", "application/json", "{}", "fqdn" },
        { "POST", "/api/restore", "application/octet-stream", "", "backup archive" },
        { "POST", "/api/restore", "application/octet-stream", "garbage garbage garbage garbage garbage", "" },
        { "POST", $"/api/nodes/{Node}/certificates/ipsec/csr", null, null, "self-signed only" },
        { "POST", $"/api/nodes/{Node}/certificates/tomcat/csr?keyAlgorithm=dsa", null, null, "keyAlgorithm" },
        { "POST", $"/api/nodes/{Node}/certificates/CallManager/signed", "application/x-pem-file", "not a certificate", "" },
        { "POST", $"/api/nodes/{Node}/certificates/CallManager/signed", "text/plain", "x", "Content-Type" },
        { "POST", $"/api/nodes/{Node}/certificates/tomcat/export", null, null, "password" },
        { "POST", "/api/bulk/import/tomcat", "application/x-pkcs12", "not a pfx", "X-Sbd-Password" },
        { "POST", "/api/bulk/import/ipsec", "application/x-pkcs12", "x", "bulk certificate type" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadInput_Is400WithAReason_AndNothingIsStored(string method, string path, string? contentType, string? body, string reason)
    {
        using var admin = factory.Admin();
        var before = await admin.GetStringAsync($"/api/nodes/{Node}/certificates", Ct);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (contentType is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body ?? ""));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        var response = await admin.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var detail = problem.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail));
        Assert.Contains(reason, detail, StringComparison.Ordinal);
        Assert.DoesNotContain(factory.DataDir, detail, StringComparison.Ordinal);
        Assert.Equal(before, await admin.GetStringAsync($"/api/nodes/{Node}/certificates", Ct));
    }

    [Theory]
    [InlineData("GET", "/api/nodes/no-such-node/certificates")]
    [InlineData("POST", "/api/nodes/no-such-node/certificates/tomcat/regenerate")]
    [InlineData("GET", "/api/parameters/NoSuchParameter")]
    [InlineData("GET", $"/api/nodes/{Node}/certificates/0000000000000000000000000000000000000000000000000000000000000000/pem")]
    public async Task UnknownThings_Are404(string method, string path)
    {
        using var admin = factory.Admin();
        var response = await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Regeneration_ThatWouldLockPhones_Is409WithTheReport_UntilConfirmed()
    {
        using var admin = factory.Admin();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/parameters/ItlSignerMode", new { value = "CallManager" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/nodes/{Node}/itl/propagated", null, Ct)).StatusCode);
        try
        {
            var tvs = await admin.PostAsync($"/api/nodes/{Node}/certificates/TVS/regenerate", null, Ct);
            Assert.Equal(HttpStatusCode.OK, tvs.StatusCode);
            var before = await admin.GetStringAsync($"/api/nodes/{Node}/certificates/CallManager/pem", Ct);

            var refused = await admin.PostAsync($"/api/nodes/{Node}/certificates/CallManager/regenerate", null, Ct);

            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var report = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal("urn:sbdserver:problem:confirmation-required", report.GetProperty("type").GetString());
            Assert.Contains("confirm=true", report.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.True(report.GetProperty("requiresConfirmation").GetBoolean());
            Assert.False(report.GetProperty("applied").GetBoolean());
            Assert.True(report.GetProperty("groups")[0].GetProperty("phonesLocked").GetBoolean());
            Assert.Equal(before, await admin.GetStringAsync($"/api/nodes/{Node}/certificates/CallManager/pem", Ct));

            var confirmed = await admin.PostAsync($"/api/nodes/{Node}/certificates/CallManager/regenerate?confirm=true", null, Ct);

            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
            Assert.True((await confirmed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("applied").GetBoolean());
            Assert.NotEqual(before, await admin.GetStringAsync($"/api/nodes/{Node}/certificates/CallManager/pem", Ct));
        }
        finally
        {
            await admin.PostAsync($"/api/nodes/{Node}/itl/propagated", null, Ct);
            await admin.PutAsJsonAsync("/api/parameters/ItlSignerMode", new { value = "ITLRecovery" }, Ct);
        }
    }

    [Fact]
    public async Task TrustUpload_PemAndDer_ThenDelete()
    {
        using var admin = factory.Admin();
        var certificates = new CertificateFactory();
        var codec = new CertificateCodec();
        var other = certificates.CreateSelfSigned(new CertificateSpec(new SubjectName("other-cluster.lab.example")), DateTimeOffset.UtcNow.AddDays(-1));
        var pemContent = new StringContent(codec.WriteCertificatePem(other.CertificateDer));
        pemContent.Headers.ContentType = new MediaTypeHeaderValue("application/x-pem-file");

        var uploaded = await admin.PostAsync("/api/trust/Phone-SAST-trust", pemContent, Ct);

        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        var entry = (await uploaded.Content.ReadFromJsonAsync<JsonElement>(Ct))[0];
        var sha256 = entry.GetProperty("sha256").GetString()!;
        Assert.Equal("Phone-SAST-trust", entry.GetProperty("store").GetString());
        Assert.Equal(["Sast", "Tftp"], entry.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        var derContent = new ByteArrayContent(other.CertificateDer);
        derContent.Headers.ContentType = new MediaTypeHeaderValue("application/pkix-cert");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/trust/CallManager-trust", derContent, Ct)).StatusCode);
        var list = await admin.GetStringAsync($"/api/nodes/{Node}/certificates", Ct);
        Assert.Contains("\"store\":\"CallManager-trust\"", list, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/trust/Phone-SAST-trust/{sha256}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/trust/CallManager-trust/{sha256.ToUpperInvariant()}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/trust/CallManager-trust/{sha256}", Ct)).StatusCode);
        Assert.DoesNotContain(sha256, await admin.GetStringAsync($"/api/nodes/{Node}/certificates", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_ThenRestore_RoundTrips_AndDamagedArchivesAreRefused()
    {
        using var admin = factory.Admin();
        var before = await admin.GetStringAsync($"/api/nodes/{Node}/certificates", Ct);

        var backup = await admin.PostAsync("/api/backup", null, Ct);
        Assert.Equal(HttpStatusCode.OK, backup.StatusCode);
        var archive = await backup.Content.ReadAsByteArrayAsync(Ct);
        Assert.DoesNotContain("PRIVATE KEY", Encoding.ASCII.GetString(archive), StringComparison.Ordinal);

        var truncated = new ByteArrayContent(archive[..(archive.Length - 7)]);
        var refused = await admin.PostAsync("/api/restore", truncated, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("truncated", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var restored = await admin.PostAsync("/api/restore", new ByteArrayContent(archive), Ct);
        Assert.Equal(HttpStatusCode.NoContent, restored.StatusCode);
        Assert.Equal(before, await admin.GetStringAsync($"/api/nodes/{Node}/certificates", Ct));
    }

    [Fact]
    public async Task BulkExport_ThenImport_PutsTheCertificateIntoTheMappedStores()
    {
        using var admin = factory.Admin();
        using var export = new HttpRequestMessage(HttpMethod.Post, $"/api/nodes/{Node}/certificates/CallManager/export");
        export.Headers.Add("X-Sbd-Password", "a long export password");
        var response = await admin.SendAsync(export, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-pkcs12", response.Content.Headers.ContentType?.MediaType);
        var pkcs12 = await response.Content.ReadAsByteArrayAsync(Ct);

        using var import = new HttpRequestMessage(HttpMethod.Post, "/api/bulk/import/CallManager") { Content = new ByteArrayContent(pkcs12) };
        import.Headers.Add("X-Sbd-Password", "a long export password");
        var imported = await admin.SendAsync(import, Ct);

        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var stores = (await imported.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray().Select(e => e.GetProperty("store").GetString()).Order();
        Assert.Equal(["CallManager-trust", "Phone-SAST-trust"], stores);
        var audit = await admin.GetStringAsync("/api/audit", Ct);
        Assert.Contains("certificate.export", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csr_IsAPkcs10Request()
    {
        using var admin = factory.Admin();

        var response = await admin.PostAsync($"/api/nodes/{Node}/certificates/TVS/csr", null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pem = await response.Content.ReadAsStringAsync(Ct);
        Assert.StartsWith("-----BEGIN CERTIFICATE REQUEST-----", pem, StringComparison.Ordinal);
        var request = System.Security.Cryptography.X509Certificates.CertificateRequest.LoadSigningRequestPem(
            pem, System.Security.Cryptography.HashAlgorithmName.SHA256);
        Assert.Contains("CN=cucm-pub.lab.example", request.SubjectName.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csr_IsKeptUntilDeleted_AndAnUploadForAnotherKeyIs400()
    {
        using var admin = factory.Admin();
        var created = await admin.PostAsync($"/api/nodes/{Node}/certificates/CAPF/csr?keyAlgorithm=rsa3072", null, Ct);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var pem = await created.Content.ReadAsStringAsync(Ct);

        var again = await admin.GetAsync($"/api/nodes/{Node}/certificates/capf/csr", Ct);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("application/pkcs10", again.Content.Headers.ContentType?.MediaType);
        Assert.Equal(pem, await again.Content.ReadAsStringAsync(Ct));
        using var ca = TestPki.CertificateAuthority("CN=Api CSR Stranger", years: 1);
        using (var stranger = new StringContent(ca.ExportCertificatePem(), Encoding.ASCII, "application/x-pem-file"))
        {
            var refused = await admin.PostAsync($"/api/nodes/{Node}/certificates/CAPF/signed", stranger, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("neither the key of the pending CSR", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/nodes/{Node}/certificates/CAPF/csr", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/nodes/{Node}/certificates/CAPF/csr", Ct)).StatusCode);
        var twice = await admin.DeleteAsync($"/api/nodes/{Node}/certificates/CAPF/csr", Ct);
        Assert.Equal(HttpStatusCode.NotFound, twice.StatusCode);
        Assert.Contains("no pending CSR", await twice.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("certificate.csr.delete", await admin.GetStringAsync("/api/audit", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parameters_GetAndPut()
    {
        using var admin = factory.Admin();

        var put = await admin.PutAsJsonAsync("/api/parameters/PhoneInteractionOnCertificateUpdate", new { value = "resetmanually" }, Ct);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var value = await admin.GetFromJsonAsync<JsonElement>("/api/parameters/PhoneInteractionOnCertificateUpdate", Ct);
        Assert.Equal("ResetManually", value.GetProperty("value").GetString());
        var all = await admin.GetFromJsonAsync<JsonElement>("/api/parameters", Ct);
        Assert.Equal("False", all.GetProperty("PrepareClusterForRollbackToPre80").GetString());
    }

    [Fact]
    public async Task OpenApi_DocumentsTheRoutes()
    {
        using var admin = factory.Admin();
        var document = await admin.GetStringAsync("/openapi/v1.json", Ct);
        Assert.Contains("/api/nodes/{node}/certificates/{name}/regenerate", document, StringComparison.Ordinal);
        Assert.Contains("/api/trust/{store}", document, StringComparison.Ordinal);
    }
}
