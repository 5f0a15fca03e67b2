using System.Net;
using Microsoft.Extensions.Logging;
using SbdServer.Core.Diagnostics;
using SbdServer.Tftp.Sessions;
using SbdServer.Wire.Tftp;

namespace SbdServer.Tftp.Diagnostics;

/// <summary>
/// What the TFTP server says about peers: one line per finished transfer (rate-limited), and warnings about refused
/// or malformed requests (limited per peer and kind, with periodic summaries). Peer bytes are escaped here, never raw.
/// </summary>
internal sealed class TftpTransferLog : IDisposable
{
    private readonly ILogger _logger;
    private readonly TftpMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly LogRateLimiter _transferLines;
    private readonly PeerWarningLimiter _warnings;

    // Requests refused at once (no such file, access violation) are the peer's choice of name: a loop of them from
    // one address is limited like a warning, more generously, since a booting phone asks for a few missing files.
    private readonly PeerWarningLimiter _refusals;

    public TftpTransferLog(TftpOptions options, TftpMetrics metrics, TimeProvider time, PeerWarnings peerWarnings, ILogger logger)
    {
        _logger = logger;
        _metrics = metrics;
        _time = time;
        _transferLines = new LogRateLimiter(time, options.MaxTransferLogLinesPerSecond, TimeSpan.FromSeconds(1));
        _warnings = peerWarnings.Create(
            TftpWarningKinds.Listener,
            summary => TftpLog.WarningsSuppressed(logger, summary.Suppressed, summary.Kind, summary.PeerText, summary.WindowSeconds));
        _refusals = peerWarnings.Create(
            TftpWarningKinds.Listener,
            summary => TftpLog.RefusalLinesSuppressed(logger, summary.Suppressed, summary.Kind, summary.PeerText, summary.WindowSeconds),
            new PeerWarningOptions { PerPeer = 20, PerKind = 200 });
    }

    public ILogger Logger => _logger;

    /// <summary>A request refused by a limit (the reason names the setting).</summary>
    public void Refused(IPEndPoint remote, string reason)
    {
        if (_warnings.ShouldLog(TftpWarningKinds.Refused, remote.Address))
        {
            TftpLog.RequestRefused(_logger, remote, reason);
        }
    }

    public void Malformed(IPEndPoint remote, string reason)
    {
        _metrics.MalformedPacket();
        if (_warnings.ShouldLog(TftpWarningKinds.Malformed, remote.Address))
        {
            var escaped = LogText.Escape(reason);
            TftpLog.MalformedPacket(_logger, remote, escaped);
        }
    }

    /// <summary>The transfer line of a finished session, unless the rate limit (or the refusal limit) holds it back.</summary>
    public void Finished(TftpSession session, string outcome)
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var refusal = outcome switch
        {
            "not-found" => TftpWarningKinds.NotFound,
            "access-violation" => TftpWarningKinds.AccessViolation,
            _ => null,
        };
        long suppressed = 0;
        if (refusal is not null ? _refusals.ShouldLog(refusal, session.Client.Address) : _transferLines.TryAcquire(out suppressed))
        {
            if (suppressed > 0)
            {
                _metrics.LogLinesSuppressed(suppressed);
                TftpLog.TransferLinesSuppressed(_logger, suppressed, _transferLines.Limit);
            }

            var durationMs = (long)_time.GetElapsedTime(session.StartedTimestamp).TotalMilliseconds;

            // Names and options are the peer's bytes (decoded one per character): escaped, never raw.
            var file = LogText.EscapeLatin1(session.RequestedName);
            var served = LogText.EscapeLatin1(session.ServedName);
            var asked = LogText.EscapeLatin1(session.OptionsAsked);
            var granted = LogText.EscapeLatin1(session.OptionsGranted);
            var transfer = session.Transfer;
            TftpLog.Transfer(_logger, outcome, session.Client, file, served, session.Source,
                session.Mode == TftpMode.Octet ? "octet" : "netascii", asked, granted,
                transfer?.AckedBytes ?? 0, transfer?.AckedBlocks ?? 0, transfer?.Retransmits ?? 0,
                transfer?.DuplicateAcks ?? 0, durationMs);
        }
    }

    /// <summary>Reports the transfer lines the rate limit held back since the last call (once a second).</summary>
    public void ReportSuppressed()
    {
        var suppressed = _transferLines.TakeSuppressed();
        if (suppressed > 0)
        {
            _metrics.LogLinesSuppressed(suppressed);
            TftpLog.TransferLinesSuppressed(_logger, suppressed, _transferLines.Limit);
        }
    }

    /// <summary>What the last window suppressed is still reported at shutdown.</summary>
    public void Flush()
    {
        _warnings.Flush();
        _refusals.Flush();
    }

    public void Dispose()
    {
        _warnings.Dispose();
        _refusals.Dispose();
    }
}
