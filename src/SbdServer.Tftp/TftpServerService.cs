using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SbdServer.Core.Diagnostics;
using SbdServer.Core.Tftp;
using SbdServer.Tftp.Diagnostics;
using SbdServer.Tftp.Listener;
using SbdServer.Tftp.Sessions;
using SbdServer.Tftp.Transport;

namespace SbdServer.Tftp;

/// <summary>
/// The TFTP server (docs/protocols/tftp.md): one listening UDP socket (<see cref="TftpListenerSocket"/>), one session
/// per client TID with its own socket (or the listener in single-port mode), all of them read on one I/O thread
/// (<see cref="TftpSocketLoop"/>) whose tick drives every retransmission. Requests are read by
/// <see cref="TftpRequestListener"/>, admitted by <see cref="TftpAdmissionControl"/> before any work is done for
/// them, served by <see cref="TftpTransferSessions"/> and logged by <see cref="TftpTransferLog"/>; this class binds,
/// starts and stops them.
/// </summary>
public sealed class TftpServerService(
    IOptions<TftpOptions> options,
    TftpCatalogue catalogue,
    TftpMetrics metrics,
    IEnumerable<ITftpServedFileObserver> observers,
    TimeProvider time,
    ILogger<TftpServerService> logger,
    PeerWarnings? peerWarnings = null) : BackgroundService
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(50);

    private readonly TftpOptions _options = options.Value;
    private readonly ITftpServedFileObserver[] _observers = [.. observers];
    private readonly TftpTransferLog _log = new(options.Value, metrics, time, peerWarnings ?? new PeerWarnings(time), logger);
    private readonly CancellationTokenSource _stopping = new();
    private TftpListenerSocket? _listener;
    private TftpSocketLoop? _loop;
    private TftpAdmissionControl? _admission;
    private TftpTransferSessions? _sessions;

    /// <summary>The bound listening endpoint (the real port when <see cref="TftpOptions.Port"/> is 0).</summary>
    public IPEndPoint? LocalEndPoint => _listener?.LocalEndPoint;

    /// <summary>Sessions in progress (including requests whose file is being looked up).</summary>
    public int ActiveSessions => _admission?.Active ?? 0;

    // Bind here, not in ExecuteAsync: since .NET 10 ExecuteAsync runs entirely in the background, so only StartAsync
    // can make "port 69 is taken" fail the host start with a message that says what to do.
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var listener = TftpListenerSocket.Bind(IPAddress.Parse(_options.Address), _options.Port);
        _listener = listener;
        _admission = new TftpAdmissionControl(_options, metrics, time, _log, listener);

        // The loop calls into the sessions and the request listener, which need the loop to register sockets.
        TftpTransferSessions sessions = null!;
        TftpRequestListener requests = null!;
        var loop = new TftpSocketLoop(listener.Socket, () => requests.OnReadable(), s => sessions.OnSessionReadable(s),
            () => sessions.OnTick(), TickInterval, time, SocketReadiness.Create());
        _loop = loop;
        sessions = new TftpTransferSessions(
            _options, catalogue, metrics, _observers, time, _admission, _log, listener, loop, _stopping.Token);
        requests = new TftpRequestListener(_options, metrics, _log, listener, sessions);
        _sessions = sessions;
        if (logger.IsEnabled(LogLevel.Information))
        {
            var sources = string.Join(", ", catalogue.Sources.Select(s => s.Name));
            TftpLog.Listening(logger, listener.LocalEndPoint,
                (_options.SinglePort ? "single-port, " : "port per transfer, ") + loop.Mechanism,
                string.IsNullOrEmpty(_options.Root) ? "(none)" : _options.Root, sources);
        }

        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _stopping.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            return; // a host torn down by a test fixture may dispose the service before stopping it
        }

        if (_loop is { } loop)
        {
            loop.Stop();
            try
            {
                await loop.Completion.WaitAsync(cancellationToken);
            }
            catch (Exception) when (loop.Completion.IsFaulted)
            {
                // The loop's failure already ended ExecuteAsync, which the host reported; stopping goes on.
            }
        }

        _listener?.Dispose();
        await base.StopAsync(cancellationToken);
        _sessions?.AbortAll();
        _log.Flush();
    }

    public override void Dispose()
    {
        _log.Dispose();
        _loop?.Dispose();
        _listener?.Dispose();
        _stopping.Dispose();
        base.Dispose();
    }

    /// <summary>The text a bind failure stops the host with: the port, the cause, and the fix.</summary>
    public static string BindFailureMessage(string protocol, IPEndPoint endPoint, SocketError error, string key) =>
        TftpListenerSocket.BindFailureMessage(protocol, endPoint, error, key);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // StopAsync stops the loop (before the base class cancels stoppingToken).
        _loop!.Start();
        return _loop.Completion;
    }
}
