using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace SbdServer.Cli;

/// <summary>
/// The options and HTTP client of the commands that call a running node's REST API (<c>sbd itl</c>, <c>sbd backup</c>,
/// <c>sbd restore</c>): <c>--api</c>, <c>--user</c>, <c>--password-file</c> or <c>$SBD_ADMIN_PASSWORD</c>.
/// </summary>
internal sealed class AdminApi
{
    public const string PasswordVariable = "SBD_ADMIN_PASSWORD";

    public Option<string> Api { get; } = new("--api")
    {
        Description = "The node's REST API base address.",
        DefaultValueFactory = _ => "http://127.0.0.1:8080",
    };

    public Option<string> User { get; } = new("--user") { Description = "Admin user.", DefaultValueFactory = _ => "admin" };

    public Option<string?> PasswordFile { get; } = new("--password-file")
    {
        Description = $"File holding the admin password (e.g. data/secrets/admin-password); else ${PasswordVariable}.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Api);
        command.Options.Add(User);
        command.Options.Add(PasswordFile);
    }

    /// <summary>An authenticated client for the parsed options; throws <see cref="CliException"/> for bad ones.</summary>
    public async Task<HttpClient> ClientAsync(ParseResult parse, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(parse.GetValue(Api), UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
        {
            throw new CliException("--api: give an absolute http(s) address such as http://127.0.0.1:8080.");
        }

        string password;
        try
        {
            password = parse.GetValue(PasswordFile) is { } file
                ? (await File.ReadAllTextAsync(file, cancellationToken)).Trim()
                : Environment.GetEnvironmentVariable(PasswordVariable)
                    ?? throw new CliException($"give --password-file or set {PasswordVariable}.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException("--password-file: the file cannot be read (" + ex.GetType().Name + ").");
        }

        var http = new HttpClient { BaseAddress = new Uri(baseUri.ToString().TrimEnd('/') + "/"), Timeout = timeout };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(parse.GetValue(User) + ":" + password)));
        return http;
    }

    /// <summary>Exit code for a refused request: 1 when the server refused the change (400, 409), else 2.</summary>
    public static int ExitCodeOf(HttpStatusCode status) => status is HttpStatusCode.BadRequest or HttpStatusCode.Conflict ? 1 : 2;

    /// <summary>The problem's <c>detail</c>, or the status when the body is not problem+json.</summary>
    public static string ProblemText(HttpStatusCode status, string body)
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

    public static int Fail(string message, int code)
    {
        Console.Error.WriteLine("sbd: " + message.ReplaceLineEndings(" "));
        return code;
    }
}
