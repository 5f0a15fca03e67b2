using System.Text;
using SbdServer.Testing;
using Xunit;

namespace SbdServer.Deploy.Tests;

/// <summary>
/// A compose file of <c>docker/</c> run with Debian's <c>docker-compose</c> under a project name and an env file of
/// its own, so its containers, networks and volumes never meet a lab's stack on the same engine.
/// </summary>
public sealed class ComposeStack
{
    public const string Project = "sbd-compose-test";

    private readonly string _compose;
    private readonly string _docker;
    private readonly string _envFile;
    private readonly string _composeFile;
    private readonly string _project;

    private ComposeStack(string compose, string docker, string envFile, string composeFile, string project)
    {
        _compose = compose;
        _docker = docker;
        _envFile = envFile;
        _composeFile = composeFile;
        _project = project;
    }

    public static string DockerDirectory => Path.Combine(SharedFiles.RepositoryRoot, "docker");

    /// <summary>The compose and docker commands and a running engine, or a skip (a failure under CI).</summary>
    public static async Task<ComposeStack> RequireAsync(string envFile, string composeFile = "docker-compose.yml", string project = Project)
    {
        var compose = Requirements.Tool("docker-compose");
        var docker = Requirements.Tool("docker");
        var (code, output) = await Tool.RunAsync(docker, ["info", "--format", "{{.ServerVersion}}"], timeoutMs: 30_000);
        if (code != 0)
        {
            Requirements.SkipOrFail($"the docker engine does not answer (start dockerd as root; .ci/run does): {output.Trim()}");
        }

        foreach (var image in new[] { "mcr.microsoft.com/dotnet/sdk:10.0", "mcr.microsoft.com/dotnet/aspnet:10.0", "postgres:16" })
        {
            if ((await Tool.RunAsync(docker, ["image", "inspect", "--format", "{{.Id}}", image], timeoutMs: 30_000)).ExitCode != 0)
            {
                Requirements.SkipOrFail($"base image {image} is missing (run docker/ci-images.sh as root; .ci/run does).");
            }
        }

        return new ComposeStack(compose, docker, envFile, composeFile, project);
    }

    /// <summary><c>docker-compose</c> with this stack's env file and project; fails the test on a non-zero exit.</summary>
    public async Task<string> RunAsync(string because, int timeoutMs, params string[] args)
    {
        var (code, output) = await RunRawAsync(timeoutMs, args);
        Assert.True(code == 0, $"{because}: docker-compose {string.Join(' ', args)} exited {code}\n{output}\n{await LogsAsync()}");
        return output;
    }

    public Task<(int ExitCode, string Output)> RunRawAsync(int timeoutMs, params string[] args) => RunRawAsync(_composeFile, timeoutMs, args);

    public Task<(int ExitCode, string Output)> RunRawAsync(string composeFile, int timeoutMs, params string[] args) =>
        Tool.RunAsync(_compose,
            ["--env-file", _envFile, "-f", Path.Combine(DockerDirectory, composeFile), "-p", _project, .. args],
            timeoutMs);

    /// <summary>The health of one service's container: healthy, unhealthy, starting, or a reason it has none.</summary>
    public async Task<string> HealthAsync(string service)
    {
        var (code, id) = await RunRawAsync(30_000, "ps", "-q", service);
        id = id.Trim();
        if (code != 0 || id.Length == 0)
        {
            return "no container";
        }

        var (inspected, health) = await Tool.RunAsync(_docker, ["inspect", "--format", "{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}", id], timeoutMs: 30_000);
        return inspected == 0 ? health.Trim() : "inspect failed: " + health.Trim();
    }

    /// <summary>Waits until every service reports healthy; fails with each one's state and the logs.</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout, params string[] services)
    {
        var deadline = DateTime.UtcNow + timeout;
        var states = new Dictionary<string, string>();
        while (true)
        {
            foreach (var service in services)
            {
                states[service] = await HealthAsync(service);
            }

            if (states.Values.All(s => s == "running healthy"))
            {
                return;
            }

            if (DateTime.UtcNow > deadline || states.Values.Any(s => s.StartsWith("exited", StringComparison.Ordinal)))
            {
                Assert.Fail($"not all healthy within {timeout.TotalSeconds:0} s: {string.Join(", ", states.Select(s => $"{s.Key}={s.Value}"))}\n{await LogsAsync()}");
            }

            await Task.Delay(1000, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The last lines of every service's log, for a failure message.</summary>
    public async Task<string> LogsAsync()
    {
        try
        {
            var (_, logs) = await RunRawAsync(60_000, "logs", "--no-color", "--tail", "40");
            return logs;
        }
        catch (TimeoutException e)
        {
            return e.Message;
        }
    }

    /// <summary>Writes an env file (KEY=VALUE lines) for <c>--env-file</c>.</summary>
    public static void WriteEnvFile(string path, IReadOnlyDictionary<string, string> values)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in values)
        {
            text.Append(key).Append('=').Append(value).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }
}
