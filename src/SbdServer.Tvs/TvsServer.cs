using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SbdServer.Core.Certificates;
using SbdServer.Core.Diagnostics;
using SbdServer.Core.Hosting;
using SbdServer.Core.Tvs;

namespace SbdServer.Tvs;

/// <summary>
/// The TVS listener: a raw socket accept loop that hands every connection to its own task (TLS handshake, then
/// <see cref="TvsConnection"/>), so a silent or slow client only ever holds its own task. Limits (total and
/// per-IP connections) are enforced at accept time, before any TLS work.
/// </summary>
public sealed class TvsServer : IAsyncDisposable
{
    private readonly TvsOptions _options;
    private readonly TvsRequestHandler _handler;
    private readonly TvsQueryLog _queryLog;
    private readonly TvsCounters _counters;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<TvsServer> _logger;
    private readonly ServerCertificateReloader _certificate;
    private readonly PeerWarningLimiter _warnings;
    private readonly ConcurrentDictionary<IPAddress, int> _perIp = new();
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task? _acceptLoop;
    private int _open;
    private long _connectionIds;
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
            context => TvsTlsPolicy.ServerOptions(context, _options.AllowTls10, _options.AllowTls13),
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
    }

    /// <summary>The bound address and port (the real port when configured with 0).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener?.LocalEndPoint
        ?? throw new InvalidOperationException("The TVS server is not started."));

    /// <summary>SHA-256 of the certificate new connections are given.</summary>
    public string? CurrentCertificateSha256 => _certificate.CurrentSha256;

    /// <summary>Connections currently open.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Loads the certificate (a broken one stops startup), binds, and starts accepting.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _certificate.GetAsync(cancellationToken);
        var address = IPAddress.Parse(_options.Address);
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Equals(IPAddress.IPv6Any))
            {
                listener.DualMode = true;
            }

            listener.Bind(new IPEndPoint(address, _options.Port));
            listener.Listen(1024);
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            var wanted = new IPEndPoint(address, _options.Port);
            throw new ListenerBindException($"{TvsOptions.Section}:Port", ex.SocketErrorCode, BindFailureMessage(wanted, ex.SocketErrorCode), ex);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        var endPoint = LocalEndPoint.ToString();
        TvsLog.Listening(_logger, endPoint, _options.AllowTls10 ? "allowed" : "refused", _certificate.CurrentSha256 ?? "?");
        if (_options.AllowTls10 && OperatingSystem.IsLinux()
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(TvsLegacyTls.Variable)))
        {
            TvsLog.Tls10WithoutOpenSslConf(_logger);
        }

        _acceptLoop = Task.Run(AcceptLoopAsync, CancellationToken.None);
    }

    /// <summary>What an operator reads when the TVS port cannot be bound: the port, the likely cause and the fix.</summary>
    public static string BindFailureMessage(IPEndPoint endPoint, SocketError error)
    {
        var cause = error switch
        {
            SocketError.AddressAlreadyInUse => "the port is already in use (a second SbdServer or another TVS on this address?)",
            SocketError.AccessDenied => endPoint.Port < 1024
                ? "permission denied: ports below 1024 need root or CAP_NET_BIND_SERVICE"
                : "permission denied",
            SocketError.AddressNotAvailable => $"{endPoint.Address} is not an address of this machine",
            _ => $"socket error {error}",
        };
        return $"TVS cannot listen on TCP {endPoint} (port {endPoint.Port}): {cause}. Fix: stop the other service, or set "
            + $"{TvsOptions.Section}:Port (and {TvsOptions.Section}:Address) to a free port, or {TvsOptions.Section}:Enabled=false.";
    }

    /// <summary>Stops accepting, closes open connections, and waits for their tasks.</summary>
    public async Task StopAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener?.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop;
        }

        await Task.WhenAll(_connections.Values);
        _warnings.Flush(); // what the last window suppressed is still reported
        _warnings.Dispose();
        TvsLog.Stopped(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _certificate.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var listener = _listener!;
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                // Out of descriptors or a transient network error: keep the listener alive, but do not spin.
                TvsLog.AcceptFailed(_logger, ex);
                await Task.Delay(TimeSpan.FromMilliseconds(100), _timeProvider, CancellationToken.None);
                continue;
            }

            Admit(socket);
        }
    }

    private void Admit(Socket socket)
    {
        var remote = (socket.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        if (Interlocked.Increment(ref _open) > _options.MaxConnections)
        {
            Interlocked.Decrement(ref _open);
            _counters.RejectedForMaxConnections();
            if (ShouldLogLimit())
            {
                var address = remote.ToString();
                TvsLog.MaxConnectionsReached(_logger, _options.MaxConnections, address);
            }

            Reject(socket);
            return;
        }

        if (_perIp.AddOrUpdate(remote, 1, static (_, n) => n + 1) > _options.MaxConnectionsPerIp)
        {
            ReleaseSlot(remote);
            _counters.RejectedForPerIpLimit();
            if (ShouldLogLimit())
            {
                var address = remote.ToString();
                TvsLog.PerIpLimitReached(_logger, _options.MaxConnectionsPerIp, address);
            }

            Reject(socket);
            return;
        }

        var id = Interlocked.Increment(ref _connectionIds);
        _counters.ConnectionOpened();
        var connection = new TvsConnection(
            id, socket, remote, _options, _certificate, _handler, _queryLog, _counters, _timeProvider, _warnings, _logger);
        var task = Task.Run(() => RunAsync(id, connection, remote), CancellationToken.None);
        _connections.TryAdd(id, task);
    }

    private async Task RunAsync(long id, TvsConnection connection, IPAddress remote)
    {
        try
        {
            await connection.RunAsync(_stopping.Token);
        }
        finally
        {
            _counters.ConnectionClosed();
            ReleaseSlot(remote);
            _connections.TryRemove(id, out _);
        }
    }

    private void ReleaseSlot(IPAddress remote)
    {
        Interlocked.Decrement(ref _open);
        var left = _perIp.AddOrUpdate(remote, 0, static (_, n) => n - 1);
        if (left <= 0)
        {
            _perIp.TryRemove(KeyValuePair.Create(remote, 0));
        }
    }

    private static void Reject(Socket socket)
    {
        try
        {
            // Reset rather than a graceful close: the peer learns at once and we keep no TIME_WAIT state.
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // The peer is already gone; closing is all that is left to do.
        }

        socket.Dispose();
    }

    /// <summary>At most one limit line per second, so a flood cannot flood the log.</summary>
    private bool ShouldLogLimit()
    {
        var now = _timeProvider.GetTimestamp();
        var last = Interlocked.Read(ref _lastLimitLog);
        return (last == long.MinValue || _timeProvider.GetElapsedTime(last, now) >= TimeSpan.FromSeconds(1))
            && Interlocked.CompareExchange(ref _lastLimitLog, now, last) == last;
    }
}
