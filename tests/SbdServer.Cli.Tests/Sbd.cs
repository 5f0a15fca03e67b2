using System.Diagnostics;
using SbdServer.Testing;
using Xunit;

namespace SbdServer.Cli.Tests;

/// <summary>Runs the real <c>sbd</c> (sbd.dll copied next to the tests) as a child process.</summary>
internal static class Sbd
{
    public static string Vector(string relative) => SharedFiles.Require(Path.Combine("vectors", relative));

    public static Result Run(string workingDirectory, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "sbd.dll");
        Assert.True(File.Exists(dll), "sbd.dll is not next to the test assembly");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"sbd {string.Join(' ', args)} did not finish in 60 s");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    internal sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        /// <summary>A failure: non-zero exit, exactly one line on stderr naming the reason, no stack trace.</summary>
        public void AssertOneLineFailure(string reasonFragment)
        {
            Assert.NotEqual(0, ExitCode);
            var lines = Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1, $"expected one stderr line, got: {Stderr}");
            Assert.Contains(reasonFragment, lines[0], StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", Stderr, StringComparison.Ordinal);
        }
    }
}
