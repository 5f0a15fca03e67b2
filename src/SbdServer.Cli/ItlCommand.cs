using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace SbdServer.Cli;

/// <summary>
/// <c>sbd itl reset localkey|end|status</c>: CUCM's bulk ITL reset (<c>utils itl reset localkey</c>) on a running
/// SbdServer through its REST API. <c>localkey</c> starts it (ITLs signed by each TFTP node's CallManager),
/// <c>end</c> ends it as restarting TFTP does. Exit code 0 on success, 1 when the server refuses, 2 on any other error.
/// </summary>
internal static class ItlCommand
{
    public const string PasswordVariable = "SBD_ADMIN_PASSWORD";

    public static Command Create()
    {
        var api = new Option<string>("--api")
        {
            Description = "The node's REST API base address.",
            DefaultValueFactory = _ => "http://127.0.0.1:8080",
        };
        var user = new Option<string>("--user") { Description = "Admin user.", DefaultValueFactory = _ => "admin" };
        var passwordFile = new Option<string?>("--password-file")
        {
            Description = $"File holding the admin password (e.g. data/secrets/admin-password); else ${PasswordVariable}.",
        };
        var action = new Argument<string>("ACTION") { Description = "localkey (start the reset), end (restart TFTP: sign with ITLRecovery again) or status." };

        var reset = new Command("reset", "Bulk ITL reset (utils itl reset localkey): sign every ITL with the TFTP node's CallManager until ended.")
        {
            action, api, user, passwordFile,
        };
        reset.SetAction(async (parse, cancellationToken) =>
        {
            var what = parse.GetValue(action)!.Trim().ToLowerInvariant();
            var (method, path) = what switch
            {
                "localkey" => (HttpMethod.Post, "api/itl/reset?key=localkey"),
                "remotekey" => (HttpMethod.Post, "api/itl/reset?key=remotekey"), // the server explains why not
                "end" => (HttpMethod.Delete, "api/itl/reset"),
                "status" => (HttpMethod.Get, "api/itl/reset"),
                _ => (null, null),
            };
            if (method is null)
            {
                return Fail($"ACTION: '{what}' is not localkey, end or status.", 2);
            }

            if (!Uri.TryCreate(parse.GetValue(api), UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
            {
                return Fail("--api: give an absolute http(s) address such as http://127.0.0.1:8080.", 2);
            }

            string password;
            try
            {
                password = parse.GetValue(passwordFile) is { } file
                    ? (await File.ReadAllTextAsync(file, cancellationToken)).Trim()
                    : Environment.GetEnvironmentVariable(PasswordVariable)
                        ?? throw new CliException($"give --password-file or set {PasswordVariable}.");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Fail("--password-file: the file cannot be read (" + ex.GetType().Name + ").", 2);
            }
            catch (CliException ex)
            {
                return Fail(ex.Message, 2);
            }

            using var http = new HttpClient { BaseAddress = new Uri(baseUri.ToString().TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(parse.GetValue(user) + ":" + password)));
            try
            {
                using var response = await http.SendAsync(new HttpRequestMessage(method, path), cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    return Fail(ProblemText(response.StatusCode, body), response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Conflict ? 1 : 2);
                }

                Print(body);
                return 0;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
            {
                return Fail("the API did not answer: " + ex.Message, 2);
            }
        });

        return new Command("itl", "Trust list operations on a running cluster.") { reset };
    }

    private static void Print(string body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var active = root.GetProperty("active").GetBoolean();
        Console.Out.WriteLine(active
            ? $"ITL reset: localkey since {root.GetProperty("since").GetString()}"
            : "ITL reset: none");
        Console.Out.WriteLine("ITL signer: " + root.GetProperty("signer").GetString());
        if (root.TryGetProperty("resetDevices", out var devices) && devices.GetArrayLength() > 0)
        {
            Console.Out.WriteLine($"Devices reset: {devices.GetArrayLength()}");
        }
    }

    private static string ProblemText(HttpStatusCode status, string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("detail", out var detail) && detail.GetString() is { Length: > 0 } text)
            {
                return text;
            }
        }
        catch (JsonException)
        {
            // Not problem+json: report the status alone.
        }

        return $"the API answered {(int)status} {status}.";
    }

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine("sbd: " + message.ReplaceLineEndings(" "));
        return code;
    }
}
