using System.Net;
using Microsoft.Extensions.Logging;
using SbdServer.Core.Tftp;
using SbdServer.Tftp.Client;
using SbdServer.Tftp.Diagnostics;

namespace SbdServer.Tftp.Sources;

/// <summary>
/// CUCM "alternate file locations" (centralized TFTP): when no local source holds a file, ask an ordered list of
/// remote TFTP servers, each with its own timeout, and serve the first copy found. A location that times out or
/// misbehaves is logged (rate-limited) and skipped; "File not found" moves on silently.
/// </summary>
internal sealed class AlternateLocationsFileSource : ITftpFileSource
{
    private readonly (string Text, string Host, int Port)[] _locations;
    private readonly TimeSpan _timeout;
    private readonly int _maxBytes;
    private readonly ILogger _logger;
    private readonly LogRateLimiter _logLimiter;

    public AlternateLocationsFileSource(
        IEnumerable<string> locations, TimeSpan timeout, int maxBytes, TimeProvider time, ILogger logger)
    {
        _locations = [.. locations.Select(l => TftpEndpointParser.TryParse(l, 69, out var host, out var port)
            ? (l, host, port)
            : throw new ArgumentException($"Alternate location '{l}' is not host[:port].", nameof(locations)))];
        _timeout = timeout;
        _maxBytes = maxBytes;
        _logger = logger;
        _logLimiter = new LogRateLimiter(time, 10, TimeSpan.FromMinutes(1));
    }

    public string Name => "alternate";

    public int Order => ITftpFileSource.AlternateLocationsOrder;

    public async ValueTask<TftpFileContent?> TryOpenAsync(TftpFileRequest request, CancellationToken cancellationToken)
    {
        foreach (var (text, host, port) in _locations)
        {
            try
            {
                var address = IPAddress.TryParse(host, out var literal)
                    ? literal
                    : (await Dns.GetHostAddressesAsync(host, cancellationToken))[0];
                var bytes = await TftpDownloadClient.DownloadAsync(
                    new IPEndPoint(address, port), request.Name, _timeout, _maxBytes, cancellationToken);
                if (bytes is not null)
                {
                    return TftpFileContent.FromMemory(bytes, $"alternate {text}");
                }
            }
            catch (Exception ex) when (ex is TftpDownloadException or System.Net.Sockets.SocketException
                                           or IndexOutOfRangeException)
            {
                if (_logLimiter.TryAcquire(out _))
                {
                    TftpLog.AlternateFailed(_logger, text, request.Name, ex.Message);
                }
            }
        }

        return null;
    }
}
