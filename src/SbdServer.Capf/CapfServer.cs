using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SbdServer.Core.Capf;
using SbdServer.Core.DeviceManagement;
using SbdServer.Core.Diagnostics;
using SbdServer.Listeners;

namespace SbdServer.Capf;

/// <summary>
/// The CAPF listener (TCP 3804): the listener kit's accept loop (<see cref="TcpConnectionListener"/>: limits before
/// any TLS work, one task per connection) with the node's CAPF certificate, hot reloaded, and every connection one
/// <see cref="CapfConnection"/> session. The TLS policy is the phone protocols' (<see cref="TlsPolicy"/>), as TVS's.
/// </summary>
public sealed class CapfServer : IListenerServer, ITcpListenerEvents
{
    /// <summary>How CAPF names itself in bind failures.</summary>
    public static readonly ListenerIdentity Identity = new(
        "CAPF", CapfOptions.Section, "a second SbdServer or another CAPF on this address?");

    private readonly CapfOptions _options;
    private readonly CapfService _service;
    private readonly CapfSessionLog _sessions;
    private readonly CapfCounters _counters;
    private readonly TimeProvider _time;
    private readonly ILogger<CapfServer> _logger;
    private readonly ServerCertificateReloader _certificate;
    private readonly PeerWarningLimiter _warnings;
    private readonly TcpConnectionListener _listener;
    private uint _sessionIds = (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);

    public CapfServer(
        IOptions<CapfOptions> options,
        ICapfCertificateSource certificateSource,
        CapfService service,
        CapfSessionLog sessions,
        CapfCounters counters,
        PeerWarnings warnings,
        TimeProvider time,
        ILogger<CapfServer> logger)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        _options = options.Value;
        _service = service;
        _sessions = sessions;
        _counters = counters;
        _time = time;
        _logger = logger;
        _certificate = new ServerCertificateReloader(
            certificateSource,
            context => TlsPolicy.PhoneProtocolOptions(context, _options.AllowTls10, _options.AllowTls13),
            (sha256, subject) => CapfLog.CertificateReloaded(logger, sha256, subject),
            (ex, sha256) => CapfLog.CertificateReloadFailed(logger, ex, sha256));
        _warnings = warnings.Create("capf", s => CapfLog.Suppressed(logger, s.Suppressed, s.Kind, s.PeerText, s.WindowSeconds));
        _listener = new TcpConnectionListener(
            new TcpListenerSettings(Identity, _options.Address, _options.Port, _options.MaxConnections, _options.MaxConnectionsPerIp)
            {
                IdleTimeout = _options.IdleTimeout,
            },
            this, time);
    }

    /// <summary>The bound address and port (the real port when configured with 0).</summary>
    public IPEndPoint LocalEndPoint => _listener.LocalEndPoint;

    /// <summary>SHA-256 of the certificate new connections are given.</summary>
    public string? CurrentCertificateSha256 => _certificate.CurrentSha256;

    public int OpenConnections => _listener.OpenConnections;

    /// <summary>Loads the certificate (a broken one stops startup), binds, and starts accepting.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _certificate.GetAsync(cancellationToken);
        _listener.Start(RunAsync);
        var endPoint = LocalEndPoint.ToString();
        CapfLog.Listening(_logger, endPoint, _options.AllowTls10 ? "allowed" : "refused", _certificate.CurrentSha256 ?? "?");
    }

    /// <summary>What an operator reads when the CAPF port cannot be bound: the port, the likely cause and the fix.</summary>
    public static string BindFailureMessage(IPEndPoint endPoint, SocketError error) => Identity.BindFailureMessage(endPoint, error);

    public async Task StopAsync()
    {
        if (await _listener.StopAsync())
        {
            CapfLog.Stopped(_logger);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _listener.DisposeAsync();
        _certificate.Dispose();
        _warnings.Dispose();
    }

    void ITcpListenerEvents.Opened() => _counters.ConnectionOpened();

    void ITcpListenerEvents.Closed() => _counters.ConnectionClosed();

    void ITcpListenerEvents.AcceptFailed(SocketException exception) => CapfLog.AcceptFailed(_logger, exception);

    void ITcpListenerEvents.IdleTimedOut(IPAddress remote, TimeSpan idleTimeout)
    {
        // The session's own line and log record follow from the connection (outcome TimedOut).
        _counters.IdleTimedOut();
        if (_warnings.ShouldLog("idle_timeout", remote))
        {
            var address = remote.ToString();
            CapfLog.TimedOut(_logger, address, idleTimeout.TotalMilliseconds, "idle (Capf:IdleTimeout)");
        }
    }

    void ITcpListenerEvents.Refused(ListenerLimit limit, int max, IPAddress remote)
    {
        var name = limit == ListenerLimit.MaxConnections ? "max_connections" : "per_ip";
        if (limit == ListenerLimit.MaxConnections)
        {
            _counters.RejectedForMaxConnections();
        }
        else
        {
            _counters.RejectedForPerIpLimit();
        }

        if (_warnings.ShouldLog("limit_" + name, remote))
        {
            CapfLog.LimitReached(_logger, remote.ToString(), name, max);
        }
    }

    private Task RunAsync(ListenerConnection connection)
    {
        var sessionId = Interlocked.Increment(ref _sessionIds);
        return new CapfConnection(
            connection, sessionId == 0 ? 1 : sessionId, _options, _certificate, _service, _sessions, _counters, _warnings, _time, _logger)
            .RunAsync();
    }
}
