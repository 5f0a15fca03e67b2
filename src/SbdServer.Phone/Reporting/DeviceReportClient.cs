using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace SbdServer.Phone.Reporting;

/// <summary>
/// Sends the phone's self-report (<c>POST /api/devices/{name}/report</c>: installed ITL/CTL hashes, ITL signer,
/// status) so the server's ITL mismatch list (CUCM 14's "ITL File Status") reflects what phones hold. The route
/// needs the admin's credentials (HTTP Basic).
/// </summary>
public sealed class DeviceReportClient(HttpClient http, Uri apiBase, string user, string password)
{
    private readonly AuthenticationHeaderValue _authorization =
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary>Null when the server stored the report, else why not (never throws for a server or network failure).</summary>
    public async Task<string?> SendAsync(string deviceName, DeviceReport report, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(apiBase, $"api/devices/{Uri.EscapeDataString(deviceName)}/report"))
            {
                Content = JsonContent.Create(report),
            };
            request.Headers.Authorization = _authorization;
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return null;
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return $"HTTP {(int)response.StatusCode} {(body.Length > 200 ? body[..200] : body)}".ReplaceLineEndings(" ");
        }
        catch (Exception e) when (e is HttpRequestException or IOException
            or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return e is OperationCanceledException ? "timed out" : e.Message;
        }
    }
}

/// <summary>The JSON body of a device report (field names as the API defines them).</summary>
public sealed record DeviceReport(
    [property: System.Text.Json.Serialization.JsonPropertyName("itlMd5")] string? ItlMd5,
    [property: System.Text.Json.Serialization.JsonPropertyName("itlSha1")] string? ItlSha1,
    [property: System.Text.Json.Serialization.JsonPropertyName("ctlMd5")] string? CtlMd5,
    [property: System.Text.Json.Serialization.JsonPropertyName("ctlSha1")] string? CtlSha1,
    [property: System.Text.Json.Serialization.JsonPropertyName("itlSigner")] string? ItlSigner,
    [property: System.Text.Json.Serialization.JsonPropertyName("status")] string? Status);
