using System.Diagnostics;

namespace SbdServer.Crypto.Tests.Certificates;

/// <summary>Runs the real openssl binary for cross-checks.</summary>
internal static class OpenSsl
{
    public static (int ExitCode, string Output) Run(string openssl, params string[] arguments)
    {
        var start = new ProcessStartInfo(openssl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"openssl {string.Join(' ', arguments)} did not finish in 60 s");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
