using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary><c>POST /api/plan</c> on a one-node cluster made by the real first start (ITLRecovery signer mode).</summary>
public sealed class PlanApiTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Plan_WithoutCredentials_Is401()
    {
        using var anonymous = factory.CreateClient();
        using var content = new StringContent("""{"changes":[{"node":"cucm-pub","certificate":"TVS","action":"regenerate"}]}""", Encoding.UTF8, "application/json");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/plan", content, Ct)).StatusCode);
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"changes":[]}""", "empty" },
        { """{}""", "'changes' is required" },
        { """{"changes":[{"node":"cucm-pub","certificate":"TVS","action":"regenerate","colour":"red"}]}""", "colour" },
        { """{"changes":[{"node":"cucm-pub","certificate":"TVS","action":"regenerate"}],"dryRun":true}""", "dryRun" },
        { """{"changes":[{"node":"nosuch","certificate":"TVS","action":"regenerate"}]}""", "no node named 'nosuch'" },
        { """{"changes":[{"node":"cucm-pub","certificate":"ipsec","action":"regenerate"}]}""", "'ipsec' is not a certificate" },
        { """{"changes":[{"node":"cucm-pub","certificate":"TVS","action":"delete"}]}""", "unknown action 'delete'" },
        { """{"changes":[{"node":"cucm-pub","certificate":"TVS"}]}""", "'action'" },
        { """{"changes":[{"parameter":"AutoRegistration","value":"true"}]}""", "'AutoRegistration' is not a parameter" },
        { """{"changes":[{"parameter":"PrepareClusterForRollbackToPre80","value":"perhaps"}]}""", "'perhaps' is not allowed" },
        { """{"changes":[{"parameter":"PrepareClusterForRollbackToPre80","value":true}]}""", "changes[0].value" },
        { """{"changes":[{"parameter":"PrepareClusterForRollbackToPre80"}]}""", "'value' is required" },
        { """{"changes":[{"parameter":"PrepareClusterForRollbackToPre80","value":"true","node":"cucm-pub"}]}""", "only the fields" },
        { """{"changes":[{"node":"cucm-pub","action":"rename","fqdn":"bad name!"}]}""", "not a DNS name" },
        { """{"changes":[{"node":"cucm-pub","action":"rename","certificate":"TVS","fqdn":"a.example"}]}""", "only the fields" },
        { """{"changes":[{"node":"cucm-pub","certificate":"TVS","action":"regenerate","keyAlgorithm":"RSA9"}]}""", "'keyAlgorithm' must be one of Rsa1024, Rsa2048" },
        { """{"changes":[{"node":"cucm-pub","certificate":"TVS","action":"regenerate","keyAlgorithm":"3"}]}""", "'keyAlgorithm' must be one of" },
        { """{"changes":[{"node":"cucm-pub","action":"rename","fqdn":"a.example","keyAlgorithm":"Rsa4096"}]}""", "only the fields" },
        { """{"changes":[{"parameter":"PrepareClusterForRollbackToPre80","value":"true","keyAlgorithm":"Rsa4096"}]}""", "only the fields" },
        { """{"changes":[null]}""", "must be an object" },
        { """{"changes":"all"}""", "changes" },
        { """[1]""", "plan" },
        { """{"changes":[""", "plan" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Plan_WithBadInput_Is400WithAReason(string body, string reasonMentions)
    {
        using var admin = factory.Admin();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        var response = await admin.PostAsync("/api/plan", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(reasonMentions, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Plan_TooManyChangesOrTooLargeOrNotJson_Is400()
    {
        using var admin = factory.Admin();
        var many = "{\"changes\":[" + string.Join(",", Enumerable.Repeat("""{"node":"cucm-pub","certificate":"TVS","action":"regenerate"}""", 101)) + "]}";
        await AssertBadAsync(admin, many, "limit is 100");

        var padded = """{"changes":[{"node":"cucm-pub","certificate":"TVS","action":"regenerate"}],"x":" """ + new string('a', 70_000) + "\"}";
        await AssertBadAsync(admin, padded, "limit");

        using var text = new StringContent("""{"changes":[]}""", Encoding.UTF8, "text/plain");
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("/api/plan", text, Ct)).StatusCode);
    }

    [Fact]
    public async Task Plan_ItlRecoveryMode_BothCertificatesOfTheOnlyNode_KeepsTrust_AndChangesNothing()
    {
        using var admin = factory.Admin();
        await CreateDeviceAsync(admin, "SEP0000000A0001", "8861");
        await CreateDeviceAsync(admin, "SEP0000000A0002", "7962");
        var before = await StateAsync(admin);

        var plan = await PlanAsync(admin, """
            {"changes":[{"node":"cucm-pub","certificate":"CallManager","action":"regenerate"},
                        {"node":"cucm-pub","certificate":"TVS","action":"regenerate","keyAlgorithm":"rsa4096"}]}
            """);

        var devices = Devices(plan, "SEP0000000A000");
        Assert.Equal(2, devices.Count);
        Assert.All(devices, d => Assert.True(d.GetProperty("keepsTrust").GetBoolean()));
        Assert.All(devices, d => Assert.StartsWith("ITL signer unchanged (ITLRecovery)", d.GetProperty("reason").GetString(), StringComparison.Ordinal));
        Assert.Equal(plan.GetProperty("devices").GetArrayLength(), plan.GetProperty("kept").GetInt32() + plan.GetProperty("lost").GetInt32());
        Assert.Equal(before, await StateAsync(admin));
    }

    [Fact]
    public async Task Plan_SignerModeCallManager_BothCertificates_LosesEveryPhone_RollbackAloneKeeps_Sha512LosesOldModels()
    {
        using var admin = factory.Admin();
        await CreateDeviceAsync(admin, "SEP0000000B0001", "8861");
        await CreateDeviceAsync(admin, "SEP0000000B0002", "7962");
        var before = await StateAsync(admin);

        var locked = await PlanAsync(admin, """
            {"changes":[{"parameter":"ItlSignerMode","value":"CallManager"},
                        {"node":"cucm-pub","certificate":"CallManager","action":"regenerate"},
                        {"node":"cucm-pub","certificate":"TVS","action":"regenerate"}]}
            """);
        Assert.All(Devices(locked, "SEP0000000B000"), d =>
        {
            Assert.False(d.GetProperty("keepsTrust").GetBoolean());
            Assert.Equal(
                "locked: signer CallManager of cucm-pub changes and the TVS certificates of its group {cucm-pub} change too (no ITL fetch recorded for it: assumed to hold the ITL served now)",
                d.GetProperty("reason").GetString());
        });

        var rollback = await PlanAsync(admin, """{"changes":[{"parameter":"PrepareClusterForRollbackToPre80","value":"true"}]}""");
        Assert.All(Devices(rollback, "SEP0000000B000"), d =>
            Assert.StartsWith("rollback ITL accepted: signed by ITLRecovery which the phone trusts; the phone then accepts any file", d.GetProperty("reason").GetString(), StringComparison.Ordinal));

        var sha512 = Devices(await PlanAsync(admin, """{"changes":[{"parameter":"TftpFileSignatureAlgorithm","value":"SHA-512"}]}"""), "SEP0000000B000");
        Assert.True(sha512[0].GetProperty("keepsTrust").GetBoolean());
        Assert.False(sha512[1].GetProperty("keepsTrust").GetBoolean());

        var rename = Devices(await PlanAsync(admin, """{"changes":[{"node":"cucm-pub","action":"rename","fqdn":"pub.new.example"}]}"""), "SEP0000000B000");
        Assert.All(rename, d => Assert.False(d.GetProperty("keepsTrust").GetBoolean()));
        Assert.Equal(before, await StateAsync(admin));
    }

    internal static async Task CreateDeviceAsync(HttpClient admin, string name, string model)
    {
        var response = await admin.PostAsJsonAsync("/api/devices", new { name, model }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    internal static async Task<JsonElement> PlanAsync(HttpClient admin, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await admin.PostAsync("/api/plan", content, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    internal static List<JsonElement> Devices(JsonElement plan, string prefix) =>
        [.. plan.GetProperty("devices").EnumerateArray().Where(d => d.GetProperty("name").GetString()!.StartsWith(prefix, StringComparison.Ordinal))];

    private static async Task AssertBadAsync(HttpClient admin, string body, string reasonMentions)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await admin.PostAsync("/api/plan", content, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reasonMentions, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    /// <summary>Everything a plan could touch: certificates, parameters, devices (with resets), audit.</summary>
    private static async Task<string> StateAsync(HttpClient admin) =>
        await admin.GetStringAsync("/api/nodes/cucm-pub/certificates", Ct)
        + await admin.GetStringAsync("/api/parameters", Ct)
        + await admin.GetStringAsync("/api/devices", Ct)
        + await admin.GetStringAsync("/api/audit", Ct);
}
