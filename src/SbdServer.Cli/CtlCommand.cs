using System.CommandLine;
using System.Text.Json;

namespace SbdServer.Cli;

/// <summary>
/// <c>sbd ctl update|status</c>: CUCM's <c>utils ctl update CTLFile</c> on a running SbdServer through its REST API
/// (<c>update</c> writes the CTL again from the current certificates), and the stored CTL with what is out of date
/// (<c>status</c>). Exit code 0 on success (also for a stale CTL's status), 1 when the server refuses, 2 on any other error.
/// </summary>
internal static class CtlCommand
{
    public static Command Create()
    {
        var admin = new AdminApi();
        var action = new Argument<string>("ACTION") { Description = "update (write the CTL from the current certificates) or status." };
        var command = new Command("ctl", "The tokenless CTL of a running mixed-mode cluster (utils ctl update CTLFile).") { action };
        admin.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var what = parse.GetValue(action)!.Trim().ToLowerInvariant();
            var (method, path) = what switch
            {
                "update" => (HttpMethod.Post, "api/ctl/update"),
                "status" => (HttpMethod.Get, "api/ctl"),
                _ => (null, null),
            };
            if (method is null)
            {
                return AdminApi.Fail($"ACTION: '{what}' is not update or status.", 2);
            }

            HttpClient http;
            try
            {
                http = await admin.ClientAsync(parse, TimeSpan.FromSeconds(30), cancellationToken);
            }
            catch (CliException ex)
            {
                return AdminApi.Fail(ex.Message, 2);
            }

            using var client = http;
            try
            {
                using var response = await http.SendAsync(new HttpRequestMessage(method, path), cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    return AdminApi.Fail(AdminApi.ProblemText(response.StatusCode, body), AdminApi.ExitCodeOf(response.StatusCode));
                }

                Print(body, updated: what == "update");
                return 0;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return AdminApi.Fail("the API did not answer as expected: " + ex.Message, 2);
            }
        });

        return command;
    }

    private static void Print(string body, bool updated)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        if (!root.GetProperty("mixedMode").GetBoolean())
        {
            Console.Out.WriteLine("CTL: none (the cluster is not in mixed mode)");
            return;
        }

        var written = root.TryGetProperty("writtenAt", out var at) ? at : default;
        Console.Out.WriteLine(updated ? "CTL updated" : written.ValueKind != JsonValueKind.String
            ? "CTL: follows the current certificates (not stored yet; the first update stores it)"
            : $"CTL written {written.GetString()}");
        foreach (var record in root.GetProperty("records").EnumerateArray())
        {
            var node = record.TryGetProperty("node", out var n) && n.ValueKind == JsonValueKind.String ? " of " + n.GetString() : "";
            Console.Out.WriteLine($"  {record.GetProperty("role").GetString(),-9} {record.GetProperty("certificate").GetString()}{node}  " +
                $"SHA-256 {record.GetProperty("sha256").GetString()}{(record.GetProperty("current").GetBoolean() ? "" : "  (regenerated since)")}");
        }

        if (root.GetProperty("stale").GetBoolean())
        {
            Console.Out.WriteLine("CTL is out of date:");
            foreach (var line in root.GetProperty("differences").EnumerateArray())
            {
                Console.Out.WriteLine("  " + line.GetString());
            }

            if (root.TryGetProperty("advice", out var advice) && advice.ValueKind == JsonValueKind.String)
            {
                Console.Out.WriteLine(advice.GetString());
            }
        }
        else if (updated)
        {
            Console.Out.WriteLine("Reset the phones so they take the new CTL.");
        }
    }
}
