using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SbdServer.Core.Provisioning;

namespace SbdServer.Tftp.Provisioning;

/// <summary>
/// Runs the served-file recorder's writer for the life of the host, so the TFTP I/O thread only queues what it served
/// and the database writes happen here, in batches.
/// </summary>
internal sealed partial class ServedFileRecorderService(ServedFileRecorder recorder, ILogger<ServedFileRecorderService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await recorder.RunAsync(ex => LogWriteFailed(ex.GetType().Name, ex.Message), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: unsaved reports are lost, which only delays the inventory until the next fetch.
        }
    }

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Could not store served-file records (kept, retrying): {ErrorType}: {Error}")]
    private partial void LogWriteFailed(string errorType, string error);
}
