namespace SbdServer.Testing;

/// <summary>
/// A PostgreSQL cluster of one test's own, which the test may stop and start again on the same port (an outage), unlike
/// the shared <see cref="PostgresServer"/> every other test uses. Started from the local binaries as
/// <see cref="PostgresServer"/> is; skips (fails under CI) without them.
/// </summary>
public sealed class PostgresInstance : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _dir;
    private readonly bool _root;

    private PostgresInstance(string bin, string dir, bool root, int port)
    {
        _bin = bin;
        _dir = dir;
        _root = root;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The maintenance database as the superuser, pooled as a node's connection string would be.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres";

    private string Data => Path.Combine(_dir, "data");

    public static async Task<PostgresInstance> StartAsync()
    {
        var bin = PostgresServer.FindBinaries();
        if (bin is null)
        {
            Requirements.SkipOrFail("No PostgreSQL server binaries (/usr/lib/postgresql/*/bin) for a private instance.");
        }

        var root = Environment.UserName == "root";
        var dir = Path.Combine(Path.GetTempPath(), $"sbd-pgi-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        if (root)
        {
            await PostgresServer.RunAsync("chown", ["postgres:postgres", dir], asPostgres: false);
        }

        await PostgresServer.RunAsync(
            Path.Combine(bin, "initdb"), ["-D", Path.Combine(dir, "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"], root);
        for (var attempt = 1; ; attempt++)
        {
            var instance = new PostgresInstance(bin, dir, root, FreePorts.Tcp());
            try
            {
                await instance.StartAgainAsync();
                return instance;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                // The picked port was taken before the postmaster bound it: pick another.
            }
        }
    }

    /// <summary>Starts the stopped server again on its port; returns once it accepts connections.</summary>
    public Task StartAgainAsync() => PostgresServer.RunAsync(
        Path.Combine(_bin, "pg_ctl"),
        ["-D", Data, "-l", Path.Combine(_dir, "log"), "-w", "-t", "60", "-o",
            $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
        _root);

    /// <summary>Stops the server (fast shutdown: sessions are ended, as a database restart does to its clients).</summary>
    public Task StopAsync() => PostgresServer.RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Data, "-m", "fast", "-w", "stop"], _root);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await PostgresServer.RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Data, "-m", "immediate", "stop"], _root);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the directory is unique to this instance.
        }
    }
}
