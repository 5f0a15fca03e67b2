using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace SbdServer.Host.Tests;

/// <summary>
/// A real <c>SbdServer.Host</c> process, started with <c>dotnet SbdServer.Host.dll</c>. Every listener binds port 0
/// unless the caller names one, and the bound ports are read from the host's own "listening" log lines: a port picked
/// free by the test and bound later by the host can be taken in between (seen in CI as "address already in use").
/// </summary>
internal sealed partial class HostProcess : IAsyncDisposable
{
    public const string SecurityPassword = "process cluster secret";
    public const string AdminPassword = "process admin secret";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private HostProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The admin HTTP address; known once <see cref="WaitHealthyAsync"/> returned true.</summary>
    public Uri BaseAddress => _baseAddress ?? throw new InvalidOperationException("The host has not reported its address yet.");

    /// <summary>The TFTP UDP port the host reported; known once <see cref="WaitHealthyAsync"/> returned true.</summary>
    public int TftpPort => ListeningPort(TftpListening(), "TFTP");

    /// <summary>The TFTP HTTP (6970) port the host reported.</summary>
    public int TftpHttpPort => ListeningPort(TftpHttpListening(), "TFTP HTTP");

    /// <summary>The TVS port the host reported.</summary>
    public int TvsPort => ListeningPort(TvsListening(), "TVS");

    /// <summary>The phone services (HTTPS) port the host reported.</summary>
    public int PhoneServicesPort => ListeningPort(PhoneServicesListening(), "phone services");

    /// <summary>The secure SIP (TLS) port the host reported, when started with <c>Sip__Enabled=true</c>.</summary>
    public int SipPort => ListeningPort(SipListening(), "SIP TLS");

    private Uri? _baseAddress;

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

    /// <summary>What the host wrote to stderr only (it is in <see cref="Output"/> too).</summary>
    public string StandardError
    {
        get
        {
            lock (_output)
            {
                return _error.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ProcessId => _process.Id;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts the host; <paramref name="workingDirectory"/> defaults to the directory of the binaries, the admin API
    /// listens on <paramref name="urls"/>, and <paramref name="runAs"/> (root only) runs it as that uid/gid.
    /// </summary>
    public static HostProcess Start(
        string dataDir, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null,
        string urls = "http://127.0.0.1:0", int? runAs = null)
    {
        var binDir = AppContext.BaseDirectory;
        var start = new ProcessStartInfo(runAs is null ? "dotnet" : "setpriv")
        {
            WorkingDirectory = workingDirectory ?? binDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (runAs is { } id)
        {
            foreach (var a in (string[])[$"--reuid={id}", $"--regid={id}", "--clear-groups", "dotnet"])
            {
                start.ArgumentList.Add(a);
            }
        }

        start.ArgumentList.Add(Path.Combine(binDir, "SbdServer.Host.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(urls);
        start.Environment["Sbd__DataDir"] = dataDir;
        start.Environment["Sbd__Cluster__SecurityPassword"] = SecurityPassword;
        start.Environment["Sbd__Admin__Password"] = AdminPassword;
        start.Environment["Sbd__Security__Pbkdf2Iterations"] = "1000";
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";

        // The "listening" lines carry the bound ports.
        start.Environment["Serilog__MinimumLevel__Override__Microsoft.Hosting.Lifetime"] = "Information";
        start.Environment["Serilog__MinimumLevel__Override__SbdServer.Tftp.TftpServerService"] = "Information";
        start.Environment["Serilog__MinimumLevel__Override__SbdServer.Tftp.Http.TftpHttpService"] = "Information";
        start.Environment["Serilog__MinimumLevel__Override__SbdServer.PhoneServices.PhoneServicesListener"] = "Information";
        start.Environment["Serilog__MinimumLevel__Override__SbdServer.Tvs.TvsServer"] = "Information";
        start.Environment["Tftp__Port"] = "0"; // TFTP and HTTP 6970 on free ports: hosts run in parallel
        start.Environment["Tftp__HttpPort"] = "0";
        start.Environment["Tvs__Address"] = "127.0.0.1";
        start.Environment["Tvs__Port"] = "0";
        start.Environment["PhoneServices__Address"] = "127.0.0.1";
        start.Environment["PhoneServices__Port"] = "0";
        start.Environment["Capf__Address"] = "127.0.0.1";
        start.Environment["Capf__Port"] = "0";
        start.Environment.Remove("SBD_TEST_CRASH_BEFORE_COMMIT");
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = start };
        var host = new HostProcess(process);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data, error: true);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    public HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = ApiFactory.Basic("admin", AdminPassword);
        return client;
    }

    /// <summary>Waits until the host reports its address and <c>/health</c> answers; false when the process exits first.</summary>
    public async Task<bool> WaitHealthyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (_baseAddress is null)
        {
            if (_process.HasExited)
            {
                return false;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException("SbdServer.Host reported no address in 3 minutes:\n" + Output);
            }

            if (AdminListening().Match(Output) is { Success: true } match)
            {
                _baseAddress = new Uri(match.Groups["url"].Value);
                break;
            }

            await Task.Delay(50, cancellationToken);
        }

        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                return false;
            }

            try
            {
                if ((await client.GetAsync("/health", cancellationToken)).IsSuccessStatusCode)
                {
                    return true;
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

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException("SbdServer.Host did not become healthy in 3 minutes:\n" + Output);
    }

    /// <summary>SIGKILL: no shutdown code runs, as with a power cut.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromMinutes(3), cancellationToken);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return; // a test may dispose early to inspect the data directory, then leave its scope
        }

        await KillAsync();
        _process.Dispose();
    }

    private int _disposed;

    private void Append(string? line, bool error = false)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (error)
            {
                _error.AppendLine(line);
            }
        }
    }

    private int ListeningPort(Regex line, string what) =>
        line.Match(Output) is { Success: true } match
            ? int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"The host has not reported its {what} port:\n{Output}");

    [GeneratedRegex(@"Now listening on: (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex AdminListening();

    [GeneratedRegex(@"TFTP listening on UDP \S+:(?<port>\d+) ")]
    private static partial Regex TftpListening();

    [GeneratedRegex(@"TFTP HTTP endpoint listening on \S+:(?<port>\d+)/?\s")]
    private static partial Regex TftpHttpListening();

    [GeneratedRegex(@"TVS listening on \S+:(?<port>\d+) \(")]
    private static partial Regex TvsListening();

    [GeneratedRegex(@"Phone services \(HTTPS\) listening on \S+:(?<port>\d+)/?,")]
    private static partial Regex PhoneServicesListening();

    [GeneratedRegex(@"SIP TLS listening on \S+:(?<port>\d+) \(")]
    private static partial Regex SipListening();
}
