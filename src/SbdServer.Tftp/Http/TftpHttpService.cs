using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using SbdServer.Core.Diagnostics;
using SbdServer.Core.Hosting;
using SbdServer.Core.Tftp;
using SbdServer.Tftp.Diagnostics;

namespace SbdServer.Tftp.Http;

/// <summary>
/// HTTP on TCP 6970: <c>GET /&lt;file&gt;</c> serves the TFTP catalogue byte for byte (404 where TFTP says "File not
/// found"), with Content-Length, a strong ETag, conditional requests and byte ranges.
/// </summary>
/// <remarks>
/// It runs its own minimal Kestrel instead of adding an endpoint to the host's web application: the port must not
/// expose the admin UI or /metrics to phones, and the host's Kestrel configuration (admin URLs, TVS on 2445) stays
/// owned by the host. The same process, catalogue and counters serve both.
/// </remarks>
public sealed class TftpHttpService(
    IOptions<TftpOptions> options,
    TftpCatalogue catalogue,
    TftpMetrics metrics,
    IEnumerable<ITftpServedFileObserver> observers,
    TimeProvider time,
    ILogger<TftpHttpService> logger) : IHostedService, IAsyncDisposable
{
    private readonly ITftpServedFileObserver[] _observers = [.. observers];
    private readonly LogRateLimiter _log = new(time, options.Value.MaxTransferLogLinesPerSecond, TimeSpan.FromSeconds(1));
    private WebApplication? _app;

    /// <summary>The bound endpoint (the real port when <see cref="TftpOptions.HttpPort"/> is 0).</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var address = IPAddress.Parse(options.Value.Address);
        var endPoint = new IPEndPoint(address, options.Value.HttpPort);
        // Configured in code, not from files: no appsettings watcher, which would watch the working directory
        // recursively (all of / under a systemd unit without WorkingDirectory).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = options.Value.MaxSessions;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(30);
            kestrel.Listen(endPoint);
        });
        var app = builder.Build();
        app.MapMethods("/{**file}", [HttpMethods.Get, HttpMethods.Head], HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            var error = ex.InnerException switch
            {
                AddressInUseException => SocketError.AddressAlreadyInUse,
                SocketException socket => socket.SocketErrorCode,
                _ => SocketError.SocketError,
            };
            throw new ListenerBindException(
                "Tftp:HttpPort", error, TftpServerService.BindFailureMessage("TCP", endPoint, error, "Tftp:HttpPort"), ex);
        }

        _app = app;
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            .Select(a => new Uri(a)).FirstOrDefault();
        LocalEndPoint = new IPEndPoint(address, bound?.Port ?? options.Value.HttpPort);
        var url = bound?.ToString() ?? endPoint.ToString();
        TftpLog.HttpListening(logger, url);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        metrics.HttpRequest();
        var requested = context.Request.Path.Value ?? "/";
        var name = requested.Length > 0 && requested[0] == '/' ? requested[1..] : requested;
        var client = context.Connection.RemoteIpAddress ?? IPAddress.None;
        if (client.IsIPv4MappedToIPv6)
        {
            client = client.MapToIPv4();
        }

        TftpLookupResult lookup;
        try
        {
            lookup = await catalogue.OpenAsync(name, client, TftpChannel.Http, context.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            metrics.LookupFailure();
            var file = LogText.Escape(name);
            TftpLog.LookupFailed(logger, ex, file);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        if (lookup.Status != TftpLookupStatus.Found)
        {
            metrics.HttpNotFound();
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("File not found\n", context.RequestAborted);
            return;
        }

        using var content = lookup.Content!;
        var result = TypedResults.Stream(content.OpenStream(), "application/octet-stream",
            entityTag: EntityTagHeaderValue.Parse(content.ETag), enableRangeProcessing: true);
        await result.ExecuteAsync(context);

        if (context.Response.StatusCode == StatusCodes.Status200OK && HttpMethods.IsGet(context.Request.Method))
        {
            metrics.HttpBytes(content.Length);
            var peer = new IPEndPoint(client, context.Connection.RemotePort);
            if (_observers.Length > 0)
            {
                var served = new TftpServedFile(name, lookup.ServedName!, content.Source, peer, TftpChannel.Http,
                    content.Length, content.GetHashes(), time.GetUtcNow());
                foreach (var observer in _observers)
                {
                    try
                    {
                        observer.OnServed(served);
                    }
                    catch (Exception ex)
                    {
                        TftpLog.ObserverFailed(logger, ex, observer.GetType().Name);
                    }
                }
            }

            if (logger.IsEnabled(LogLevel.Information) && _log.TryAcquire(out _))
            {
                var peerText = peer.ToString();
                var file = LogText.Escape(name);
                var served = LogText.Escape(lookup.ServedName);
                TftpLog.HttpTransfer(logger, 200, peerText, file, served, content.Source, content.Length);
            }
        }
    }
}
