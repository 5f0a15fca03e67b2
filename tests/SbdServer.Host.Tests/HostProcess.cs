using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SbdServer.Host.Tests;

/// <summary>A real <c>SbdServer.Host</c> process on a loopback port, started with <c>dotnet SbdServer.Host.dll</c>.</summary>
internal sealed class HostProcess : IAsyncDisposable
{
    public const string SecurityPassword = "process cluster secret";
    public const string AdminPassword = "process admin secret";

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HostProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

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

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static HostProcess Start(string dataDir, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var port = FreePort();
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
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["Sbd__DataDir"] = dataDir;
        start.Environment["Sbd__Cluster__SecurityPassword"] = SecurityPassword;
        start.Environment["Sbd__Admin__Password"] = AdminPassword;
        start.Environment["Sbd__Security__Pbkdf2Iterations"] = "1000";
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        start.Environment["Tftp__Port"] = "0"; // TFTP and HTTP 6970 on free ports: hosts run in parallel
        start.Environment["Tftp__HttpPort"] = "0";
        start.Environment["Tvs__Address"] = "127.0.0.1";
        start.Environment["Tvs__Port"] = "0";
        start.Environment["PhoneServices__Address"] = "127.0.0.1";
        start.Environment["PhoneServices__Port"] = "0";
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
        var host = new HostProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
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

    /// <summary>Waits until <c>/health</c> answers; false when the process exits first.</summary>
    public async Task<bool> WaitHealthyAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(3);
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
        await KillAsync();
        _process.Dispose();
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
