using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using SbdServer.Core.Diagnostics;
using SbdServer.Core.Tftp;
using SbdServer.Tftp.Client;
using SbdServer.Tftp.Diagnostics;

namespace SbdServer.Tftp.Sources;

/// <summary>
/// CUCM "alternate file locations" (centralized TFTP): when no local source holds a file, ask an ordered list of
/// remote TFTP servers, each with its own timeout, and serve the first copy found. A location that times out or
/// misbehaves is logged (rate-limited) and skipped; "File not found" moves on silently.
/// </summary>
/// <remarks>
/// Two short memories keep a dead or slow location from stretching every phone's boot: a location that timed out
/// is skipped for <see cref="LocationBackoffFactor"/> times its timeout, and a name no location had is answered
/// "not found" for <see cref="NegativeCacheTime"/> without asking again (in a non-secure cluster every phone asks
/// for a CTL that exists nowhere).
/// </remarks>
internal sealed class AlternateLocationsFileSource : ITftpFileSource
{
    public const int LocationBackoffFactor = 15;
    public const int MaxNegativeEntries = 10_000;
    public static readonly TimeSpan NegativeCacheTime = TimeSpan.FromSeconds(10);

    private readonly (string Text, string Host, int Port)[] _locations;
    private readonly long[] _skipUntil;
    private readonly ConcurrentDictionary<string, long> _missing = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _time;
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
        _skipUntil = new long[_locations.Length];
        _time = time;
        _timeout = timeout;
        _maxBytes = maxBytes;
        _logger = logger;
        _logLimiter = new LogRateLimiter(time, 10, TimeSpan.FromMinutes(1));
    }

    public string Name => "alternate";

    public int Order => ITftpFileSource.AlternateLocationsOrder;

    public async ValueTask<TftpFileContent?> TryOpenAsync(TftpFileRequest request, CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        if (_missing.TryGetValue(request.Name, out var until) && now < until)
        {
            return null;
        }

        for (var i = 0; i < _locations.Length; i++)
        {
            var (text, host, port) = _locations[i];
            if (now < Volatile.Read(ref _skipUntil[i]))
            {
                continue;
            }

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
                if (ex is TftpDownloadException { IsTimeout: true })
                {
                    Volatile.Write(ref _skipUntil[i],
                        _time.GetTimestamp() + (long)(_timeout.TotalSeconds * LocationBackoffFactor * _time.TimestampFrequency));
                }

                if (_logLimiter.TryAcquire(out _))
                {
                    // The reason may quote the remote server's ERROR text: as untrusted as the name.
                    var file = LogText.EscapeLatin1(request.Name);
                    var reason = LogText.Escape(ex.Message);
                    TftpLog.AlternateFailed(_logger, text, file, reason);
                }
            }
        }

        if (_missing.Count >= MaxNegativeEntries)
        {
            _missing.Clear(); // bounded memory; the cache only saves round trips
        }

        _missing[request.Name] = _time.GetTimestamp() + (long)(NegativeCacheTime.TotalSeconds * _time.TimestampFrequency);
        return null;
    }
}
