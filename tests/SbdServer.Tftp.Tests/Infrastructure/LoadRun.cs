using System.Text.Json;
using SbdServer.Testing;

namespace SbdServer.Tftp.Tests.Infrastructure;

/// <summary>Runs <c>tftp_load.py run</c> and returns its JSON summary.</summary>
internal static class LoadRun
{
    public static async Task<JsonElement> RunAsync(LoadTree tree, int port, params string[] extra)
    {
        var script = SharedFiles.Require("bench/tftp_load.py");
        var python = Requirements.Tool("python3");
        var json = Path.Combine(Path.GetTempPath(), $"sbd-load-{Guid.NewGuid():N}.json");
        try
        {
            string[] args = [script, "run", "--port", port.ToString(), "--root", tree.Root, "--json", json, "--quiet",
                "--time-limit", "150", .. extra];

            // Correctness runs, not benchmarks: the 33.5 MB lock-step transfer alone needs ~20 s of the Python client's
            // CPU, and CI runs the other test assemblies on the same two CPUs.
            var (code, output) = await Tool.RunAsync(python, args, 200_000);
            // Python writes NaN for the percentiles of an empty latency list; JSON has no NaN.
            var text = (await File.ReadAllTextAsync(json)).Replace(": NaN", ": null", StringComparison.Ordinal);
            var summary = JsonDocument.Parse(text).RootElement.Clone();
            if (code != 0)
            {
                throw new InvalidOperationException($"tftp_load.py exit {code}: {output}\n{summary}");
            }

            return summary;
        }
        finally
        {
            File.Delete(json);
        }
    }
}
