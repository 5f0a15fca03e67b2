using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SbdServer.Core.Certificates;
using SbdServer.Core.Cluster;
using SbdServer.Core.Devices;
using SbdServer.Core.Diagnostics;
using SbdServer.Core.Hosting;
using SbdServer.Core.PhoneServices;
using SbdServer.PhoneServices.Authentication;
using SbdServer.PhoneServices.CorporateDirectory;

namespace SbdServer.PhoneServices;

/// <summary>
/// HTTPS on TCP 8443 with this node's tomcat certificate (docs/adr/0002-phone-services-https.md): the corporate
/// directory and the authentication URL phones are given as "Secured" URLs. Anything else is 404.
/// </summary>
/// <remarks>
/// Its own minimal Kestrel, like HTTP 6970: the port must not expose the admin API or /metrics to phones, and its
/// certificate is chosen per handshake from the certificate store, which the host's Kestrel endpoints do not do.
/// </remarks>
public sealed class PhoneServicesService(
    IOptions<PhoneServicesOptions> options,
    IPhoneServicesCertificateSource certificates,
    IPhoneUserAuthenticator authenticator,
    IDeviceStore devices,
    LocalNodeOptions node,
    TimeProvider time,
    ILogger<PhoneServicesService> logger,
    PeerWarnings? peerWarnings = null) : IHostedService, IAsyncDisposable
{
    /// <summary>The <c>listener</c> label of this listener's peer warnings.</summary>
    public const string WarningListener = "phone_services";

    private const string AuthenticatePath = "/ccmcip/authenticate.jsp";

    private readonly PeerWarningLimiter _warnings = (peerWarnings ?? new PeerWarnings(time)).Create(
        WarningListener,
        summary => PhoneServicesLog.WarningsSuppressed(
            logger, summary.Suppressed, summary.Kind, summary.PeerText, summary.WindowSeconds));

    private WebApplication? _app;
    private ServerCertificateReloader? _certificate;

    /// <summary>The bound endpoint (the real port when <see cref="PhoneServicesOptions.Port"/> is 0), once started.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>SHA-256 of the certificate new connections get (lower-case hex), once started.</summary>
    public string? CurrentCertificateSha256 => _certificate?.CurrentSha256;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        var certificate = new ServerCertificateReloader(
            certificates,
            context => PhoneServicesTls.ServerOptions(context, settings.AllowTls10),
            (sha256, subject) => PhoneServicesLog.CertificateReloaded(logger, sha256, subject),
            (ex, sha256) => PhoneServicesLog.CertificateReloadFailed(logger, ex, sha256));
        try
        {
            // Load now: a node whose tomcat certificate cannot be read should not start and fail every phone later.
            await certificate.GetAsync(cancellationToken);
        }
        catch
        {
            certificate.Dispose();
            throw;
        }

        var address = IPAddress.Parse(settings.Address);
        var endPoint = new IPEndPoint(address, settings.Port);
        // Configured in code, not from files: no appsettings watcher, which would watch the working directory
        // recursively (all of / under a systemd unit without WorkingDirectory).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        var handshakes = new TlsHandshakeWatch(time, settings.HandshakeTimeout, _warnings,
            (kind, remote, reason) => PhoneServicesLog.HandshakeFailed(logger, remote, kind, reason));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = settings.MaxConnections;
            kestrel.Limits.MaxRequestBodySize = 8 * 1024;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.MaxRequestHeaderCount = 64;
            kestrel.Limits.MaxRequestLineSize = 8 * 1024;
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(30);
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Listen(endPoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(handshakes.Outer);
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = context =>
                    {
                        TlsHandshakeWatch.HelloReceived(context);
                        return certificate.GetAsync(context.CancellationToken);
                    },
                    HandshakeTimeout = settings.HandshakeTimeout,
                });
                listen.Use(TlsHandshakeWatch.Inner);
            });
        });

        var app = builder.Build();
        var directory = new DirectoryEndpoint(new PhoneDirectory(settings.Directory), () => BaseUrl(settings));
        var authenticate = new AuthenticateEndpoint(
            authenticator,
            devices,
            new FailedAuthenticationLimiter(time, settings.MaxFailedAuthentications, settings.FailedAuthenticationWindow),
            _warnings,
            logger);
        app.Run(context => DispatchAsync(context, directory, authenticate));
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            certificate.Dispose();
            var error = ex.InnerException switch
            {
                AddressInUseException => SocketError.AddressAlreadyInUse,
                SocketException socket => socket.SocketErrorCode,
                _ => SocketError.SocketError,
            };
            throw new ListenerBindException($"{PhoneServicesOptions.Section}:Port", error, BindFailureMessage(endPoint, error), ex);
        }

        _app = app;
        _certificate = certificate;
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            .Select(a => new Uri(a)).FirstOrDefault();
        LocalEndPoint = new IPEndPoint(address, bound?.Port ?? settings.Port);
        var url = bound?.ToString() ?? endPoint.ToString();
        PhoneServicesLog.Listening(logger, url, settings.AllowTls10 ? "allowed" : "refused", certificate.CurrentSha256);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
            _warnings.Flush(); // what the last window suppressed is still reported
            PhoneServicesLog.Stopped(logger);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }

        _certificate?.Dispose();
        _warnings.Dispose();
    }

    /// <summary>What an operator reads when the port cannot be bound: the port, the likely cause and the fix.</summary>
    public static string BindFailureMessage(IPEndPoint endPoint, SocketError error)
    {
        var cause = error switch
        {
            SocketError.AddressAlreadyInUse =>
                "the port is already in use (another HTTPS server, e.g. a Tomcat or a second SbdServer?)",
            SocketError.AccessDenied => endPoint.Port < 1024
                ? "permission denied: ports below 1024 need root or CAP_NET_BIND_SERVICE"
                : "permission denied",
            SocketError.AddressNotAvailable => $"{endPoint.Address} is not an address of this machine",
            _ => $"socket error {error}",
        };
        return $"Phone services (HTTPS) cannot listen on TCP {endPoint} (port {endPoint.Port}): {cause}. Fix: stop the "
            + $"other service, or set {PhoneServicesOptions.Section}:Port (and {PhoneServicesOptions.Section}:Address) "
            + $"to a free port, or {PhoneServicesOptions.Section}:Enabled=false.";
    }

    private static Task DispatchAsync(HttpContext context, DirectoryEndpoint directory, AuthenticateEndpoint authenticate)
    {
        var path = context.Request.Path.Value;
        var method = context.Request.Method;
        return path switch
        {
            DirectoryEndpoint.FormPath when HttpMethods.IsGet(method) => directory.HandleAsync(context, alwaysList: false),
            DirectoryEndpoint.ListPath when HttpMethods.IsGet(method) => directory.HandleAsync(context, alwaysList: true),
            AuthenticatePath when HttpMethods.IsGet(method) || HttpMethods.IsPost(method) => authenticate.HandleAsync(context),
            _ => NotFoundAsync(context),
        };
    }

    private static async Task NotFoundAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync("Not found\n", context.RequestAborted);
    }

    /// <summary>This node as phones reach it (the FQDN of the "Secured" URL parameters) and the port actually bound.</summary>
    private string BaseUrl(PhoneServicesOptions settings) =>
        $"https://{node.Fqdn}:{LocalEndPoint?.Port ?? settings.Port}";
}
