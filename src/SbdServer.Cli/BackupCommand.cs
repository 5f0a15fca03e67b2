using System.CommandLine;
using System.Text.Json;

namespace SbdServer.Cli;

/// <summary>
/// <c>sbd backup</c> and <c>sbd restore</c> on a running node through its REST API (<c>POST /api/backup</c>,
/// <c>POST /api/restore</c>). <c>--omit-keys CallManager</c> makes a backup lacking CallManager.pem (CSCtn50405);
/// <c>--missing-keys keep-current</c> restores such a backup as CUCM does; <c>--preview</c> says what a restore would do
/// to every phone and changes nothing. Exit code 0 on success, 1 when the server refuses, 2 on any other error.
/// </summary>
internal static class BackupCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static IEnumerable<Command> Create()
    {
        yield return Backup();
        yield return Restore();
    }

    private static Command Backup()
    {
        var admin = new AdminApi();
        var output = new Option<string>("--out") { Description = "File to write the sealed archive to.", Required = true };
        var omitKeys = new Option<string?>("--omit-keys") { Description = "CallManager: leave the CallManager private keys out (a CSCtn50405 backup)." };
        var command = new Command("backup", "Back up a running cluster's security state (POST /api/backup).") { output, omitKeys };
        admin.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var omit = parse.GetValue(omitKeys);
            var path = "api/backup" + (string.IsNullOrEmpty(omit) ? "" : "?omitKeys=" + Uri.EscapeDataString(omit));
            return await CallAsync(admin, parse, path, null, async response =>
            {
                var archive = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                await File.WriteAllBytesAsync(parse.GetValue(output)!, archive, cancellationToken);
                Console.Out.WriteLine($"Backup written: {parse.GetValue(output)} ({archive.Length} bytes)" +
                    (string.IsNullOrEmpty(omit) ? "" : ", without the CallManager private keys"));
            }, cancellationToken);
        });
        return command;
    }

    private static Command Restore()
    {
        var admin = new AdminApi();
        var file = new Argument<string>("FILE") { Description = "A backup archive from sbd backup or POST /api/backup." };
        var missingKeys = new Option<string?>("--missing-keys")
        {
            Description = "refuse (default) or keep-current: restore a CallManager certificate whose key the archive lacks with the node's current key, as CUCM does.",
        };
        var preview = new Option<bool>("--preview") { Description = "Only say what the restore would do to every phone; change nothing." };
        var command = new Command("restore", "Restore a backup onto a running cluster (POST /api/restore).") { file, missingKeys, preview };
        admin.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            byte[] archive;
            try
            {
                archive = await File.ReadAllBytesAsync(parse.GetValue(file)!, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return AdminApi.Fail("FILE: the archive cannot be read (" + ex.GetType().Name + ").", 2);
            }

            var query = new List<string>();
            if (parse.GetValue(missingKeys) is { Length: > 0 } policy)
            {
                query.Add("missingKeys=" + Uri.EscapeDataString(policy));
            }

            if (parse.GetValue(preview))
            {
                query.Add("preview=true");
            }

            var path = "api/restore" + (query.Count == 0 ? "" : "?" + string.Join('&', query));
            return await CallAsync(admin, parse, path, archive, async response =>
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (parse.GetValue(preview))
                {
                    PrintPlan(body);
                    return;
                }

                Console.Out.WriteLine("Restored.");
                if (body.Length > 0)
                {
                    using var json = JsonDocument.Parse(body);
                    foreach (var warning in json.RootElement.GetProperty("warnings").EnumerateArray())
                    {
                        Console.Out.WriteLine("WARNING: " + warning.GetString());
                    }
                }
            }, cancellationToken);
        });
        return command;
    }

    private static void PrintPlan(string body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Console.Out.WriteLine($"Restore preview: {root.GetProperty("kept").GetInt32()} device(s) keep trust, {root.GetProperty("lost").GetInt32()} lose it");
        foreach (var device in root.GetProperty("devices").EnumerateArray())
        {
            Console.Out.WriteLine(
                $"{device.GetProperty("name").GetString()}\t{(device.GetProperty("keepsTrust").GetBoolean() ? "keeps trust" : "LOSES TRUST")}\t{device.GetProperty("reason").GetString()}");
        }

        foreach (var warning in root.GetProperty("warnings").EnumerateArray())
        {
            Console.Out.WriteLine("WARNING: " + warning.GetString());
        }
    }

    private static async Task<int> CallAsync(
        AdminApi admin, ParseResult parse, string path, byte[]? body, Func<HttpResponseMessage, Task> success, CancellationToken cancellationToken)
    {
        HttpClient http;
        try
        {
            http = await admin.ClientAsync(parse, Timeout, cancellationToken);
        }
        catch (CliException ex)
        {
            return AdminApi.Fail(ex.Message, 2);
        }

        using var client = http;
        try
        {
            using var content = new ByteArrayContent(body ?? []);
            content.Headers.ContentType = new("application/octet-stream");
            using var response = await client.PostAsync(path, content, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return AdminApi.Fail(
                    AdminApi.ProblemText(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken)),
                    AdminApi.ExitCodeOf(response.StatusCode));
            }

            await success(response);
            return 0;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return AdminApi.Fail("the API did not answer as expected: " + ex.Message, 2);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return AdminApi.Fail("the archive cannot be written (" + ex.GetType().Name + ").", 2);
        }
    }
}
