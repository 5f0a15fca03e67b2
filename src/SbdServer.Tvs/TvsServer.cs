using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SbdServer.Core.Diagnostics;
using SbdServer.Core.Tvs;
using SbdServer.Listeners;

namespace SbdServer.Tvs;

/// <summary>
/// The TVS listener: the listener kit's accept loop (<see cref="TcpConnectionListener"/>: limits before any TLS work,
/// one task per connection) with the node's TVS certificate, hot reloaded, and every connection a
/// <see cref="TvsConnection"/>.
/// </summary>
public sealed class TvsServer : IListenerServer, ITcpListenerEvents
{
    /// <summary>How TVS names itself in bind failures.</summary>
    public static readonly ListenerIdentity Identity = new(
        "TVS", TvsOptions.Section, "a second SbdServer or another TVS on this address?");

    private readonly TvsOptions _options;
    private readonly TvsRequestHandler _handler;
    private readonly TvsQueryLog _queryLog;
    private readonly TvsCounters _counters;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<TvsServer> _logger;
    private readonly ServerCertificateReloader _certificate;
    private readonly PeerWarningLimiter _warnings;
    private readonly TcpConnectionListener _listener;
    private long _lastLimitLog = long.MinValue;

    public TvsServer(
        IOptions<TvsOptions> options,
        ITvsCertificateSource certificateSource,
        TvsRequestHandler handler,
        TvsQueryLog queryLog,
        TvsCounters counters,
        TimeProvider timeProvider,
        ILogger<TvsServer> logger,
        PeerWarnings? peerWarnings = null)
    {
        _options = options.Value;
        _handler = handler;
        _queryLog = queryLog;
        _counters = counters;
        _timeProvider = timeProvider;
        _logger = logger;
        _certificate = new ServerCertificateReloader(
            certificateSource,
            context => TlsPolicy.PhoneProtocolOptions(context, _options.AllowTls10, _options.AllowTls13),
            (sha256, subject) => TvsLog.CertificateReloaded(logger, sha256, subject),
            (ex, sha256) => TvsLog.CertificateReloadFailed(logger, ex, sha256));
        _warnings = (peerWarnings ?? new PeerWarnings(timeProvider)).Create(TvsWarningKinds.Listener, summary =>
        {
            if (TvsWarningKinds.IsWarning(summary.Kind))
            {
                TvsLog.WarningsSuppressed(logger, summary.Suppressed, summary.Kind, summary.PeerText, summary.WindowSeconds);
            }
            else
            {
                TvsLog.LinesSuppressed(logger, summary.Suppressed, summary.Kind, summary.PeerText, summary.WindowSeconds);
            }
        });
        _listener = new TcpConnectionListener(
            new TcpListenerSettings(Identity, _options.Address, _options.Port, _options.MaxConnections, _options.MaxConnectionsPerIp)
            {
                IdleTimeout = _options.IdleTimeout,
            },
            this, timeProvider);
    }

    /// <summary>The bound address and port (the real port when configured with 0).</summary>
    public IPEndPoint LocalEndPoint => _listener.LocalEndPoint;

    /// <summary>SHA-256 of the certificate new connections are given.</summary>
    public string? CurrentCertificateSha256 => _certificate.CurrentSha256;

    /// <summary>Connections currently open.</summary>
    public int OpenConnections => _listener.OpenConnections;

    /// <summary>Loads the certificate (a broken one stops startup), binds, and starts accepting.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _certificate.GetAsync(cancellationToken);
        _listener.Start(RunAsync);
        var endPoint = LocalEndPoint.ToString();
        TvsLog.Listening(_logger, endPoint, _options.AllowTls10 ? "allowed" : "refused", _certificate.CurrentSha256 ?? "?");
        if (_options.AllowTls10 && OperatingSystem.IsLinux()
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(TvsLegacyTls.Variable)))
        {
            TvsLog.Tls10WithoutOpenSslConf(_logger);
        }
    }

    /// <summary>What an operator reads when the TVS port cannot be bound: the port, the likely cause and the fix.</summary>
    public static string BindFailureMessage(IPEndPoint endPoint, SocketError error) => Identity.BindFailureMessage(endPoint, error);

    /// <summary>Stops accepting, closes open connections, and waits for their tasks.</summary>
    public async Task StopAsync()
    {
        if (!await _listener.StopAsync())
        {
            return;
        }

        _warnings.Flush(); // what the last window suppressed is still reported
        _warnings.Dispose();
        TvsLog.Stopped(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _listener.DisposeAsync();
        _certificate.Dispose();
    }

    void ITcpListenerEvents.Opened() => _counters.ConnectionOpened();

    void ITcpListenerEvents.Closed() => _counters.ConnectionClosed();

    void ITcpListenerEvents.AcceptFailed(SocketException exception) => TvsLog.AcceptFailed(_logger, exception);

    void ITcpListenerEvents.IdleTimedOut(IPAddress remote, TimeSpan idleTimeout)
    {
        _counters.IdleTimedOut();
        if (_warnings.ShouldLog(TvsWarningKinds.IdleTimeout, remote))
        {
            var address = remote.ToString();
            TvsLog.IdleTimeout(_logger, address, idleTimeout.TotalMilliseconds);
        }
    }

    void ITcpListenerEvents.Refused(ListenerLimit limit, int max, IPAddress remote)
    {
        if (limit == ListenerLimit.MaxConnections)
        {
            _counters.RejectedForMaxConnections();
            if (ShouldLogLimit())
            {
                var address = remote.ToString();
                TvsLog.MaxConnectionsReached(_logger, max, address);
            }
        }
        else
        {
            _counters.RejectedForPerIpLimit();
            if (ShouldLogLimit())
            {
                var address = remote.ToString();
                TvsLog.PerIpLimitReached(_logger, max, address);
            }
        }
    }

    private Task RunAsync(ListenerConnection connection) => new TvsConnection(
        connection, _options, _certificate, _handler, _queryLog, _counters, _timeProvider, _warnings, _logger).RunAsync();

    /// <summary>At most one limit line per second, so a flood cannot flood the log.</summary>
    private bool ShouldLogLimit()
    {
        var now = _timeProvider.GetTimestamp();
        var last = Interlocked.Read(ref _lastLimitLog);
        return (last == long.MinValue || _timeProvider.GetElapsedTime(last, now) >= TimeSpan.FromSeconds(1))
            && Interlocked.CompareExchange(ref _lastLimitLog, now, last) == last;
    }
}
