using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SbdServer.Core.Diagnostics;
using SbdServer.Core.Hosting;
using SbdServer.Core.PhoneServices;
using SbdServer.Listeners;

namespace SbdServer.PhoneServices;

/// <summary>
/// The node's HTTPS listener on <c>PhoneServices:Port</c> (default 8443) presenting this node's tomcat certificate,
/// chosen per handshake and hot reloaded (docs/adr/0006-one-https-listener.md). It is an endpoint of the host's own
/// Kestrel: phones get the <c>/ccmcip</c> services there, admins the REST API and <c>/admin</c>.
/// </summary>
/// <remarks>
/// As a hosted service it loads the certificate and checks the port before the web server starts, so a node whose
/// tomcat key cannot be read or whose port is taken stops with a message naming the fix instead of Kestrel's bare
/// bind error.
/// </remarks>
public sealed class PhoneServicesListener : IHostedService, IDisposable
{
    /// <summary>The <c>listener</c> label of this listener's peer warnings.</summary>
    public const string WarningListener = "phone_services";

    private readonly PhoneServicesOptions _settings;
    private readonly TimeProvider _time;
    private readonly Lazy<ServerCertificateReloader> _certificate;
    private readonly IServiceProvider? _services;
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly ILogger<PhoneServicesListener> _logger;
    private CancellationTokenRegistration _started;

    public PhoneServicesListener(
        IOptions<PhoneServicesOptions> options,
        IPhoneServicesCertificateSource certificates,
        ILogger<PhoneServicesListener> logger,
        TimeProvider? time = null,
        PeerWarnings? peerWarnings = null,
        IServiceProvider? services = null,
        IHostApplicationLifetime? lifetime = null)
        : this(options, () => certificates, logger, time, peerWarnings, services, lifetime)
    {
    }

    /// <param name="certificates">
    /// Resolved at the first use, not here: the host's Kestrel options (and so this listener) are built with the
    /// application, before the start-up checks, and the certificate source reaches the security state.
    /// </param>
    internal PhoneServicesListener(
        IOptions<PhoneServicesOptions> options,
        Func<IPhoneServicesCertificateSource> certificates,
        ILogger<PhoneServicesListener> logger,
        TimeProvider? time,
        PeerWarnings? peerWarnings,
        IServiceProvider? services,
        IHostApplicationLifetime? lifetime)
    {
        ArgumentNullException.ThrowIfNull(options);
        _settings = options.Value;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        Warnings = (peerWarnings ?? new PeerWarnings(_time)).Create(
            WarningListener,
            summary => PhoneServicesLog.WarningsSuppressed(
                logger, summary.Suppressed, summary.Kind, summary.PeerText, summary.WindowSeconds));
        _services = services;
        _lifetime = lifetime;
        _certificate = new Lazy<ServerCertificateReloader>(() => new ServerCertificateReloader(
            certificates(),
            context => TlsPolicy.HttpsOptions(context, _settings.AllowTls10),
            (sha256, subject) => PhoneServicesLog.CertificateReloaded(logger, sha256, subject),
            (ex, sha256) => PhoneServicesLog.CertificateReloadFailed(logger, ex, sha256)));
    }

    public bool Enabled => _settings.Enabled;

    /// <summary>Rate limit of this listener's peer warnings (TLS handshakes, authenticate.jsp), per kind and address.</summary>
    internal PeerWarningLimiter Warnings { get; }

    /// <summary>The configured endpoint (port 0 = any free port).</summary>
    public IPEndPoint ConfiguredEndPoint => new(IPAddress.Parse(_settings.Address), _settings.Port);

    /// <summary>The bound endpoint (the real port when the configured one is 0), once the server has started.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>SHA-256 of the certificate new connections get (lower-case hex), once loaded.</summary>
    public string? CurrentCertificateSha256 => (_certificate.IsValueCreated ? _certificate.Value.CurrentSha256 : null);

    /// <summary>Adds the HTTPS endpoint and the limits of <c>PhoneServices</c> to the host's Kestrel.</summary>
    /// <remarks>
    /// The limits are server-wide (Kestrel has no per-endpoint ones); they suit the admin API too. The request body
    /// limit stays the server default: restore uploads need more, and the phone routes set their own 8 KB.
    /// </remarks>
    public void Configure(KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxConcurrentConnections = _settings.MaxConnections;
        kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
        kestrel.Limits.MaxRequestHeaderCount = 64;
        kestrel.Limits.MaxRequestLineSize = 8 * 1024;
        kestrel.Limits.KeepAliveTimeout = _settings.IdleTimeout;
        kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        if (!_settings.Enabled)
        {
            return;
        }

        var handshakes = new TlsHandshakeWatch(_time, _settings.HandshakeTimeout, Warnings,
            (kind, remote, reason) => PhoneServicesLog.HandshakeFailed(_logger, remote, kind, reason));
        kestrel.Listen(ConfiguredEndPoint, listen =>
        {
            // Phones speak HTTP/1.1 only; ALPN offers nothing else.
            listen.Protocols = HttpProtocols.Http1;
            listen.Use(handshakes.Outer);
            listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = context =>
                {
                    TlsHandshakeWatch.HelloReceived(context);
                    return _certificate.Value.GetAsync(context.CancellationToken);
                },
                HandshakeTimeout = _settings.HandshakeTimeout,
            });
            listen.Use(TlsHandshakeWatch.Inner);
        });
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_settings.Enabled)
        {
            return;
        }

        // Load now: a node whose tomcat certificate cannot be read should not start and fail every phone later.
        await _certificate.Value.GetAsync(cancellationToken);
        if (_settings.Port != 0)
        {
            ProbePort(ConfiguredEndPoint);
        }

        if (_lifetime is not null)
        {
            _started = _lifetime.ApplicationStarted.Register(OnServerStarted);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (LocalEndPoint is not null)
        {
            Warnings.Flush(); // what the last window suppressed is still reported
            PhoneServicesLog.Stopped(_logger);
        }

        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _started.Dispose();
        if (_certificate.IsValueCreated)
        {
            _certificate.Value.Dispose();
        }

        Warnings.Dispose();
    }

    /// <summary>How the HTTPS listener names itself in bind failures.</summary>
    public static readonly ListenerIdentity Identity = new(
        "Phone services (HTTPS)", PhoneServicesOptions.Section, "another HTTPS server, e.g. a Tomcat or a second SbdServer?");

    /// <summary>What an operator reads when the port cannot be bound: the port, the likely cause and the fix.</summary>
    public static string BindFailureMessage(IPEndPoint endPoint, SocketError error) => Identity.BindFailureMessage(endPoint, error);

    /// <summary>
    /// Binds and releases the port once, the way Kestrel will (address reuse on, so a TIME_WAIT leftover passes), to
    /// turn a taken port into <see cref="BindFailureMessage"/>. Kestrel's own error still covers the short race after.
    /// </summary>
    private static void ProbePort(IPEndPoint endPoint)
    {
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (endPoint.Address.Equals(IPAddress.IPv6Any))
        {
            socket.DualMode = true;
        }

        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endPoint);
            socket.Listen(1);
        }
        catch (SocketException ex)
        {
            throw new ListenerBindException(
                $"{PhoneServicesOptions.Section}:Port", ex.SocketErrorCode, BindFailureMessage(endPoint, ex.SocketErrorCode), ex);
        }
    }

    private void OnServerStarted()
    {
        // Resolved only now: the server's options resolve this listener while the server is being built.
        // Under a test server there are no socket addresses; the listener then simply has no endpoint.
        var https = (_services?.GetService(typeof(IServer)) as IServer)?.Features.Get<IServerAddressesFeature>()?.Addresses
            .Where(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            .Select(a => new Uri(a))
            .FirstOrDefault();
        if (https is null)
        {
            return;
        }

        LocalEndPoint = new IPEndPoint(ConfiguredEndPoint.Address, https.Port);
        var url = https.ToString();
        var legacy = _settings.AllowTls10 ? "allowed" : "refused";
        PhoneServicesLog.Listening(_logger, url, legacy, CurrentCertificateSha256);
    }
}
