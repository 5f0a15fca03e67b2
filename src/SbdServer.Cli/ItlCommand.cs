using System.CommandLine;
using System.Text.Json;

namespace SbdServer.Cli;

/// <summary>
/// <c>sbd itl reset localkey|end|status</c>: CUCM's bulk ITL reset (<c>utils itl reset localkey</c>) on a running
/// SbdServer through its REST API. <c>localkey</c> starts it (ITLs signed by each TFTP node's CallManager),
/// <c>end</c> ends it as restarting TFTP does. Exit code 0 on success, 1 when the server refuses, 2 on any other error.
/// </summary>
internal static class ItlCommand
{
    public static Command Create()
    {
        var admin = new AdminApi();
        var action = new Argument<string>("ACTION") { Description = "localkey (start the reset), end (restart TFTP: sign with ITLRecovery again) or status." };

        var reset = new Command("reset", "Bulk ITL reset (utils itl reset localkey): sign every ITL with the TFTP node's CallManager until ended.")
        {
            action,
        };
        admin.AddTo(reset);
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

            HttpClient http;
            try
            {
                http = await admin.ClientAsync(parse, TimeSpan.FromSeconds(30), cancellationToken);
            }
            catch (CliException ex)
            {
                return Fail(ex.Message, 2);
            }

            using var client = http;
            try
            {
                using var response = await http.SendAsync(new HttpRequestMessage(method, path), cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    return Fail(AdminApi.ProblemText(response.StatusCode, body), AdminApi.ExitCodeOf(response.StatusCode));
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

    private static int Fail(string message, int code) => AdminApi.Fail(message, code);
}
