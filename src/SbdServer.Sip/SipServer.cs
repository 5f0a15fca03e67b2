using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SbdServer.Core.DeviceManagement;
using SbdServer.Core.Devices;
using SbdServer.Core.Diagnostics;
using SbdServer.Listeners;

namespace SbdServer.Sip;

/// <summary>
/// The secure SIP port (TLS, 5061): the listener kit's accept loop with the node's CallManager certificate, hot
/// reloaded after a regeneration, and every connection a <see cref="SipConnection"/> answering REGISTER. No call
/// control: it exists for the phone's TLS trust decision (CallManager in the CTL) and its registration.
/// </summary>
public sealed class SipServer : IListenerServer, ITcpListenerEvents
{
    /// <summary>How the port names itself in bind failures.</summary>
    public static readonly ListenerIdentity Identity = new(
        "SIP TLS", SipOptions.Section, "a second SbdServer or a SIP server on this address?");

    private readonly SipOptions _options;
    private readonly IDeviceStore _devices;
    private readonly PhoneCertificateTrust _phoneCertificates;
    private readonly TimeProvider _time;
    private readonly ILogger<SipServer> _logger;
    private readonly ServerCertificateReloader _certificate;
    private readonly PeerWarningLimiter _warnings;
    private readonly TcpConnectionListener _listener;

    public SipServer(
        IOptions<SipOptions> options,
        SipCertificate certificate,
        IDeviceStore devices,
        PhoneCertificateTrust phoneCertificates,
        PeerWarnings warnings,
        TimeProvider time,
        ILogger<SipServer> logger)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(warnings);
        _options = options.Value;
        _devices = devices;
        _phoneCertificates = phoneCertificates;
        _time = time;
        _logger = logger;
        _certificate = new ServerCertificateReloader(
            certificate.Source,
            context => ServerOptions(context, _options),
            (sha256, subject) => SipLog.CertificateReloaded(logger, sha256, subject),
            (ex, sha256) => SipLog.CertificateReloadFailed(logger, ex, sha256));
        _warnings = warnings.Create("sip", s => SipLog.Suppressed(logger, s.Suppressed, s.Kind, s.PeerText, s.WindowSeconds));
        _listener = new TcpConnectionListener(
            new TcpListenerSettings(Identity, _options.Address, _options.Port, _options.MaxConnections, _options.MaxConnectionsPerIp),
            this, time);
    }

    /// <summary>The bound address and port (the real port when configured with 0).</summary>
    public IPEndPoint LocalEndPoint => _listener.LocalEndPoint;

    /// <summary>Connections currently open (admitted and not yet ended).</summary>
    public int OpenConnections => _listener.OpenConnections;

    /// <summary>SHA-256 of the certificate new connections are given.</summary>
    public string? CurrentCertificateSha256 => _certificate.CurrentSha256;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _certificate.GetAsync(cancellationToken);
        _listener.Start(RunAsync);
        var endPoint = LocalEndPoint.ToString();
        SipLog.Listening(_logger, endPoint, _options.AllowTls10 ? "allowed" : "refused", _certificate.CurrentSha256 ?? "?");
    }

    /// <summary>What an operator reads when the port cannot be bound: the port, the likely cause and the fix.</summary>
    public static string BindFailureMessage(IPEndPoint endPoint, SocketError error) => Identity.BindFailureMessage(endPoint, error);

    public async Task StopAsync()
    {
        if (await _listener.StopAsync())
        {
            SipLog.Stopped(_logger);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _listener.DisposeAsync();
        _certificate.Dispose();
        _warnings.Dispose();
    }

    // No counters: registrations are logged one by one, and the port carries no load worth a meter.
    void ITcpListenerEvents.Opened()
    {
    }

    void ITcpListenerEvents.Closed()
    {
    }

    void ITcpListenerEvents.AcceptFailed(SocketException exception) => SipLog.AcceptFailed(_logger, exception);

    // Never raised: the kit's idle timeout stays off for SIP, whose Sip:ReadTimeout already closes a quiet connection.
    void ITcpListenerEvents.IdleTimedOut(IPAddress remote, TimeSpan idleTimeout)
    {
    }

    void ITcpListenerEvents.Refused(ListenerLimit limit, int max, IPAddress remote)
    {
        var name = limit == ListenerLimit.MaxConnections ? "max_connections" : "per_ip";
        if (_warnings.ShouldLog("limit_" + name, remote))
        {
            SipLog.LimitReached(_logger, remote.ToString(), name, max);
        }
    }

    private Task RunAsync(ListenerConnection connection) =>
        new SipConnection(connection, _options, _certificate, _devices, _phoneCertificates, _warnings, _time, _logger).RunAsync();

    /// <summary>
    /// The phone protocols' TLS profile, asking for the phone's certificate when <c>Sip:RequireClientCertificate</c>
    /// is on. The handshake takes whatever the phone presents (or nothing): the device it must name is only known
    /// from the REGISTER, so the decision is the registrar's, and a refusal is a 403 the phone can show rather than
    /// a bare TLS alert.
    /// </summary>
    private static SslServerAuthenticationOptions ServerOptions(SslStreamCertificateContext context, SipOptions options)
    {
        var server = TlsPolicy.PhoneProtocolOptions(context, options.AllowTls10, options.AllowTls13);
        if (options.RequireClientCertificate)
        {
            server.ClientCertificateRequired = true;
#pragma warning disable CA5359 // Not a disabled check: PhoneCertificateTrust decides on the certificate at REGISTER.
            server.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        return server;
    }
}
