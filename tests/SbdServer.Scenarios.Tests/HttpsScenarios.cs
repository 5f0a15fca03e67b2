using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SbdServer.Phone;
using Xunit;

namespace SbdServer.Scenarios.Tests;

/// <summary>Scenarios 5, 6 and 26: HTTPS phone services verified through TVS on a one-node cluster.</summary>
public sealed class HttpsScenarios : ScenarioTestBase
{
    private const string PubTvs = "127.0.0.11:2445";

    [Fact]
    public async Task TomcatViaTvsAndCache_UntrustedAppServerUntilUploaded_RegeneratedTomcat()
    {
        var cluster = await ClusterAsync(1, "ITLRecovery");
        var phone = await PhoneAsync(cluster, "0A0B0C0D0501");
        var boot = await phone.BootAsync();
        Expect.Accepted(boot, "ITL installed", "first boot");
        var directory = $"https://{cluster.Publisher.Address}:8443/ccmcip/xmldirectory.jsp";

        // 5: tomcat is not in the ITL: TVS VERIFY says valid (APP-SERVER), cached for the TTL; the second request
        // asks no TVS.
        var first = await phone.HttpsAsync(directory);
        Assert.True(first.Trusted, string.Join('\n', first.Log));
        Assert.Equal(HttpsTrustSource.Tvs, first.Source);
        Assert.Equal(PubTvs, first.TvsServer);
        Assert.Contains(first.Log, l => l.Contains("HTTPS cert not in CTL", StringComparison.Ordinal));
        Assert.Contains(first.Log, l => l.Contains("certificate trusted, roles {7}", StringComparison.Ordinal));
        Assert.Contains(first.Log, l => l.Contains("with default time-to-live value: 86400 seconds", StringComparison.Ordinal));
        Assert.NotNull(first.HttpStatus);
        var second = await phone.HttpsAsync(directory);
        Assert.True(second.Trusted, string.Join('\n', second.Log));
        Assert.Equal(HttpsTrustSource.TvsCache, second.Source);
        Assert.Null(second.TvsServer);
        Assert.Equal(1, await VerifyQueriesAsync(cluster, phone));

        // 6: an application server whose certificate no store holds: TVS says no, the request is not sent.
        await using var app = new AppServer(cluster.Publisher.Address);
        var refused = await phone.HttpsAsync(app.Url);
        Assert.False(refused.Trusted, string.Join('\n', refused.Log));
        Assert.Null(refused.HttpStatus);
        Assert.Contains(refused.Log, l => l.Contains("certificate not trusted", StringComparison.Ordinal));

        // Uploading it to Phone-trust makes the next request succeed, without a new ITL.
        var itl = phone.InstalledItlMd5;
        using (var upload = new ByteArrayContent(Encoding.ASCII.GetBytes(app.CertificatePem)))
        {
            upload.Headers.ContentType = new MediaTypeHeaderValue("application/x-pem-file");
            var response = await cluster.Admin.PostAsync("/api/trust/Phone-trust", upload, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        }

        var allowed = await phone.HttpsAsync(app.Url);
        Assert.True(allowed.Trusted, string.Join('\n', allowed.Log));
        Assert.Equal(HttpsTrustSource.Tvs, allowed.Source);
        Assert.Equal(200, allowed.HttpStatus);
        Assert.Equal(itl, await phone.ServedItlMd5Async(cluster.Publisher));

        // 26: a new tomcat certificate is presented at once (no restart) and vouched for by TVS like the old one.
        await cluster.RegenerateAsync("cucm-pub", "tomcat");
        PhoneHttpsResult renewed = null!;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            renewed = await phone.HttpsAsync(directory);
            if (renewed.ServerCertificateSha1 != first.ServerCertificateSha1)
            {
                break;
            }

            await Task.Delay(100, Ct);
        }

        Assert.NotEqual(first.ServerCertificateSha1, renewed.ServerCertificateSha1);
        Assert.True(renewed.Trusted, string.Join('\n', renewed.Log));
        Assert.Equal(HttpsTrustSource.Tvs, renewed.Source);
        Assert.Equal(itl, await phone.ServedItlMd5Async(cluster.Publisher)); // tomcat is not in the ITL
    }

    /// <summary>VERIFY requests the node's TVS query log holds for the phone (written just after each answer).</summary>
    private static async Task<int> VerifyQueriesAsync(ScenarioCluster cluster, ScenarioPhone phone)
    {
        var count = 0;
        for (var attempt = 0; attempt < 50 && count == 0; attempt++)
        {
            var queries = await cluster.Admin.GetFromJsonAsync<JsonElement>($"/api/tvs/queries?device=CP-8861-{phone.Name}", Ct);
            count = queries.EnumerateArray().Count(q => q.GetProperty("command").GetString() == "VerifyRequest");
            if (count == 0)
            {
                await Task.Delay(100, Ct);
            }
        }

        return count;
    }
}
