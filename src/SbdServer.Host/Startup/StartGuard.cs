namespace SbdServer.Host.Startup;

/// <summary>
/// Builds and runs the node and turns a refused start into what an operator can act on: one fatal log line (event
/// 3104), one plain line on stderr naming the setting to fix, and a documented exit code (<see cref="StartExitCodes"/>),
/// instead of an unhandled exception that prints its stack trace twice and aborts the process (exit 134).
/// </summary>
internal static class StartGuard
{
    public static async Task<int> RunAsync(string[] args, Func<string[], WebApplication> build)
    {
        WebApplication app;
        try
        {
            app = build(args);
        }
        catch (Exception ex) when (ex is not HostAbortedException)
        {
            return Refuse(null, ex);
        }

        await using (app)
        {
            try
            {
                // Before the hosted services run: a first start must not create the cluster and then fail on a port.
                ListenerProbe.Check(app.Services, app.Configuration);
                await app.RunAsync();
                return 0;
            }
            catch (Exception ex) when (ex is not HostAbortedException)
            {
                return Refuse(app, ex);
            }
        }
    }

    private static int Refuse(WebApplication? app, Exception exception)
    {
        var refusal = StartRefusal.From(exception);
        ILogger? logger = null;
        try
        {
            logger = app?.Services.GetService<ILoggerFactory>()?.CreateLogger("SbdServer.Host");
        }
        catch (ObjectDisposedException)
        {
            // The host tore its services down; the fallback line below still reaches the console.
        }

        if (refusal is not null)
        {
            if (logger is not null)
            {
                HostLog.StartRefused(logger, refusal.Reason, refusal.Setting, refusal.ExitCode);
            }
            else
            {
                Console.Out.WriteLine(
                    $"[{DateTime.Now:HH:mm:ss} FTL] SbdServer.Host: Refusing to start: {refusal.Reason} (setting {refusal.Setting}, exit code {refusal.ExitCode})");
            }

            Console.Error.WriteLine($"SbdServer.Host: refusing to start: {refusal.Reason} [setting {refusal.Setting}; exit code {refusal.ExitCode}]");
            return refusal.ExitCode;
        }

        // Not something configuration fixes: keep the exception (with its trace) once, in the log, for the bug report.
        if (logger is not null)
        {
            HostLog.StartFailed(logger, StartExitCodes.Failed, exception);
        }
        else
        {
            Console.Out.WriteLine($"[{DateTime.Now:HH:mm:ss} FTL] SbdServer.Host: Start failed unexpectedly: {exception}");
        }

        Console.Error.WriteLine(
            $"SbdServer.Host: start failed: {exception.GetType().Name}: {exception.Message} [exit code {StartExitCodes.Failed}; details in the log]");
        return StartExitCodes.Failed;
    }
}
