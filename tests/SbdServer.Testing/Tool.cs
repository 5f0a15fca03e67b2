using System.Diagnostics;
using Xunit;

namespace SbdServer.Testing;

/// <summary>Runs an external program with a hard timeout and returns its exit code and output.</summary>
public static class Tool
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args, int timeoutMs = 60_000)
    {
        var start = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeoutMs);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(file)} did not finish within {timeoutMs} ms");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
