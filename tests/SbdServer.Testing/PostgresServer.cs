using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace SbdServer.Testing;

/// <summary>
/// A throwaway PostgreSQL for the whole test run: the server named by <c>SBD_TEST_POSTGRES</c> (a connection string
/// with rights to create databases), or a cluster started from the local binaries
/// (<c>/usr/lib/postgresql/*/bin</c>) in a temp dir on a free loopback port. As root the server runs as the
/// <c>postgres</c> user, since PostgreSQL refuses to run as root. Without either, tests skip (fail under CI).
/// </summary>
public sealed class PostgresServer
{
    public const string EnvironmentVariable = "SBD_TEST_POSTGRES";

    private static readonly Lazy<Task<PostgresServer?>> Shared = new(StartAsync);
    private static int _databaseCounter;

    private Func<Task>? _stop;

    private PostgresServer(string adminConnectionString) => AdminConnectionString = adminConnectionString;

    /// <summary>Connection string of the maintenance database (<c>postgres</c>).</summary>
    public string AdminConnectionString { get; }

    /// <summary>The shared server; skips the calling test (fails under CI) when none can be found or started.</summary>
    public static async Task<PostgresServer> RequireAsync()
    {
        var server = await Shared.Value;
        if (server is null)
        {
            Requirements.SkipOrFail(
                $"No PostgreSQL: set {EnvironmentVariable} or install the server binaries (/usr/lib/postgresql/*/bin).");
        }

        return server;
    }

    /// <summary>
    /// Stops the server this run started (if any). Call it from an assembly fixture: the test runner gives the process
    /// only a few seconds after the run, so a shutdown left to <c>ProcessExit</c> can fail a green run.
    /// </summary>
    public static async Task StopSharedAsync()
    {
        if (!Shared.IsValueCreated)
        {
            return;
        }

        var server = await Shared.Value;
        if (server?._stop is { } stop)
        {
            server._stop = null;
            await stop();
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"sbd_test_{Environment.ProcessId}_{Interlocked.Increment(ref _databaseCounter)}_{Guid.NewGuid():N}";
        name = name[..Math.Min(name.Length, 60)];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = false }.ConnectionString;
    }

    private static async Task<PostgresServer?> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new PostgresServer(configured);
        }

        var bin = FindBinaries();
        if (bin is null)
        {
            return null;
        }

        var root = Environment.UserName == "root";
        var dir = Path.Combine(Path.GetTempPath(), $"sbd-pg-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var data = Path.Combine(dir, "data");
        Directory.CreateDirectory(dir);
        if (root)
        {
            await RunAsync("chown", ["postgres:postgres", dir], asPostgres: false);
        }

        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"], root);
        var port = await StartOnAFreePortAsync(bin, data, dir, root);

        var server = new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false");
        server._stop = async () =>
        {
            try
            {
                await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"], root);
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                // Best effort: the temp dir is unique per run.
            }
        };

        // Fallback when no assembly fixture stopped it: do not wait for the shutdown (the runner would not either).
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (server._stop is null)
            {
                return;
            }

            try
            {
                RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-W", "stop"], root).GetAwaiter().GetResult();
            }
            catch (InvalidOperationException)
            {
                // Best effort.
            }
        };

        return server;
    }

    /// <summary>The newest local PostgreSQL server binaries (<c>/usr/lib/postgresql/*/bin</c>), or null.</summary>
    internal static string? FindBinaries() => Directory.Exists("/usr/lib/postgresql")
        ? Directory.GetDirectories("/usr/lib/postgresql")
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            .OrderByDescending(d => d, StringComparer.Ordinal)
            .FirstOrDefault()
        : null;

    internal static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var a in (string[])["-u", "postgres", "--", file])
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} exited with {process.ExitCode}: {await stderr}{await stdout}");
        }
    }

    /// <summary>
    /// PostgreSQL cannot be told to bind port 0, so a free port is picked first; another process can take it before
    /// the postmaster binds, which then fails with "Address already in use". A few fresh ports settle that race.
    /// </summary>
    private static async Task<int> StartOnAFreePortAsync(string bin, string data, string dir, bool root)
    {
        var log = Path.Combine(dir, "log");
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePorts.Tcp();
            try
            {
                await RunAsync(
                    Path.Combine(bin, "pg_ctl"),
                    ["-D", data, "-l", log, "-w", "-t", "60", "-o",
                        $"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start"],
                    root);
                return port;
            }
            catch (InvalidOperationException) when (attempt < 5 && File.Exists(log)
                && File.ReadAllText(log).Contains("Address already in use", StringComparison.Ordinal))
            {
                File.Delete(log);
            }
        }
    }
}
