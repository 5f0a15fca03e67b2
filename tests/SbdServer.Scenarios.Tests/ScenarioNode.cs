using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace SbdServer.Scenarios.Tests;

/// <summary>
/// One real <c>SbdServer.Host</c> process of a scenario cluster, on its own loopback address with CUCM's standard
/// ports (TFTP 69, HTTP 6970, TVS 2445, HTTPS 8443); the admin API takes a free port on the same address. Configs
/// name the node by that address (its "Host Name/IP Address"), so phones reach it without DNS.
/// </summary>
public sealed partial class ScenarioNode : IAsyncDisposable
{
    public const string SecurityPassword = "scenario cluster secret";
    public const string AdminPassword = "scenario admin secret";

    private readonly StringBuilder _output = new();
    private Process? _process;
    private Uri? _api;

    private ScenarioNode(string name, string address, string dataDir, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        Address = address;
        DataDir = dataDir;
        Environment = environment;
    }

    public string Name { get; }

    /// <summary>The node's loopback address, e.g. <c>127.0.0.11</c>.</summary>
    public string Address { get; }

    public string Fqdn => Name + ".lab.example";

    public string DataDir { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    public Uri Api => _api ?? throw new InvalidOperationException($"{Name} is not running.");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the node and waits until its API is healthy; throws with the host's output when it does not start.</summary>
    public static async Task<ScenarioNode> StartAsync(
        string name, string address, string connectionString, IReadOnlyDictionary<string, string>? extra, CancellationToken cancellationToken)
    {
        var dataDir = Directory.CreateTempSubdirectory("sbd-scenario-" + name + "-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["Sbd__DataDir"] = dataDir,
            ["Sbd__Cluster__SecurityPassword"] = SecurityPassword,
            ["Sbd__Admin__Password"] = AdminPassword,
            ["Sbd__Security__Pbkdf2Iterations"] = "1000",
            ["Sbd__Database__Provider"] = "Postgres",
            ["ConnectionStrings__Sbd"] = connectionString,
            ["Sbd__Node__Name"] = name,
            ["Sbd__Node__Fqdn"] = name + ".lab.example",
            ["Sbd__Node__Address"] = address,
            ["Sbd__Node__HostAddress"] = address,
            ["Tftp__Address"] = address,
            ["Tftp__Port"] = "69",
            ["Tftp__HttpPort"] = "6970",
            ["Tftp__Root"] = Path.Combine(dataDir, "tftp"),
            ["Tvs__Address"] = address,
            ["Tvs__Port"] = "2445",

            // CUCM's TVS accepts TLS 1.0 until an admin runs "set tls min-version 1.2" (cucm-reference 1.8: that
            // breaks the TLS 1.0-only 79xx phones); the scenarios run 7962 phones against a default cluster.
            ["Tvs__AllowTls10"] = "true",
            ["PhoneServices__Address"] = address,
            ["PhoneServices__Port"] = "8443",
            ["Capf__Address"] = address,
            ["Capf__Port"] = "3804",

            // Secure SIP (scenario 20): phones with an authenticated profile check CallManager's certificate against the CTL.
            ["Sip__Enabled"] = "true",
            ["Sip__Address"] = address,
            ["Sip__Port"] = "5061",
            ["Sip__AllowTls10"] = "true",
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["Serilog__MinimumLevel__Override__Microsoft.Hosting.Lifetime"] = "Information",
        };
        Directory.CreateDirectory(Path.Combine(dataDir, "tftp"));
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var node = new ScenarioNode(name, address, dataDir, environment);
        await node.StartProcessAsync(cancellationToken);
        return node;
    }

    /// <summary>Kills the process (as a power cut) and starts it again on the same data directory and database.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        await StopAsync();
        await StartProcessAsync(cancellationToken);
    }

    public HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = Api, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + AdminPassword)));
        return client;
    }

    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
            _process = null;
            _api = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a unique temp directory per node.
        }
    }

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        var binDir = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = binDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(binDir, "SbdServer.Host.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://{Address}:0");
        foreach (var (key, value) in Environment)
        {
            start.Environment[key] = value;
        }

        lock (_output)
        {
            _output.Clear();
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = Stopwatch.StartNew();
        while (_api is null)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} on {Address} exited with {process.ExitCode} while starting:\n{Output}");
            }

            if (deadline.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"{Name} on {Address} reported no API address in 2 minutes:\n{Output}");
            }

            if (AdminListening().Match(Output) is { Success: true } match)
            {
                _api = new Uri(match.Groups["url"].Value);
                break;
            }

            await Task.Delay(50, cancellationToken);
        }

        using var health = new HttpClient { BaseAddress = _api, Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} on {Address} exited with {process.ExitCode} while starting:\n{Output}");
            }

            try
            {
                if ((await health.GetAsync("/health", cancellationToken)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Slow start on a busy machine.
            }

            if (deadline.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"{Name} on {Address} did not become healthy in 2 minutes:\n{Output}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://127\.\d+\.\d+\.\d+:\d+)")]
    private static partial Regex AdminListening();
}
