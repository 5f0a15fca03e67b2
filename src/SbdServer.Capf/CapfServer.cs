using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SbdServer.Core.Capf;
using SbdServer.Core.Certificates;
using SbdServer.Core.Diagnostics;
using SbdServer.Core.Hosting;
using SbdServer.Tvs;

namespace SbdServer.Capf;

/// <summary>
/// The CAPF listener (TCP 3804): a raw socket accept loop that hands every connection to its own task (TLS with the
/// node's CAPF certificate, then one <see cref="CapfConnection"/> session), so a silent client only ever holds its
/// own task. Total and per-IP limits are enforced at accept time, before any TLS work. Shape and limits follow the
/// TVS listener; the TLS policy is TVS's.
/// </summary>
public sealed class CapfServer : IAsyncDisposable
{
    private readonly CapfOptions _options;
    private readonly CapfService _service;
    private readonly CapfSessionLog _sessions;
    private readonly CapfCounters _counters;
    private readonly TimeProvider _time;
    private readonly ILogger<CapfServer> _logger;
    private readonly ServerCertificateReloader _certificate;
    private readonly PeerWarningLimiter _warnings;
    private readonly ConcurrentDictionary<IPAddress, int> _perIp = new();
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task? _acceptLoop;
    private int _open;
    private long _connectionIds;
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
            context => TvsTlsPolicy.ServerOptions(context, _options.AllowTls10, _options.AllowTls13),
            (sha256, subject) => CapfLog.CertificateReloaded(logger, sha256, subject),
            (ex, sha256) => CapfLog.CertificateReloadFailed(logger, ex, sha256));
        _warnings = warnings.Create("capf", s => CapfLog.Suppressed(logger, s.Suppressed, s.Kind, s.PeerText, s.WindowSeconds));
    }

    /// <summary>The bound address and port (the real port when configured with 0).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener?.LocalEndPoint
        ?? throw new InvalidOperationException("The CAPF server is not started."));

    /// <summary>SHA-256 of the certificate new connections are given.</summary>
    public string? CurrentCertificateSha256 => _certificate.CurrentSha256;

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
            throw new ListenerBindException($"{CapfOptions.Section}:Port", ex.SocketErrorCode, BindFailureMessage(wanted, ex.SocketErrorCode), ex);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        var endPoint = LocalEndPoint.ToString();
        CapfLog.Listening(_logger, endPoint, _options.AllowTls10 ? "allowed" : "refused", _certificate.CurrentSha256 ?? "?");
        _acceptLoop = Task.Run(AcceptLoopAsync, CancellationToken.None);
    }

    /// <summary>What an operator reads when the CAPF port cannot be bound: the port, the likely cause and the fix.</summary>
    public static string BindFailureMessage(IPEndPoint endPoint, SocketError error)
    {
        var cause = error switch
        {
            SocketError.AddressAlreadyInUse => "the port is already in use (a second SbdServer or another CAPF on this address?)",
            SocketError.AccessDenied => endPoint.Port < 1024
                ? "permission denied: ports below 1024 need root or CAP_NET_BIND_SERVICE"
                : "permission denied",
            SocketError.AddressNotAvailable => $"{endPoint.Address} is not an address of this machine",
            _ => $"socket error {error}",
        };
        return $"CAPF cannot listen on TCP {endPoint} (port {endPoint.Port}): {cause}. Fix: stop the other service, or set "
            + $"{CapfOptions.Section}:Port (and {CapfOptions.Section}:Address) to a free port, or {CapfOptions.Section}:Enabled=false.";
    }

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
        CapfLog.Stopped(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _certificate.Dispose();
        _warnings.Dispose();
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
                CapfLog.AcceptFailed(_logger, ex);
                await Task.Delay(TimeSpan.FromMilliseconds(100), _time, CancellationToken.None);
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
            Refuse(socket, remote, "max_connections", _options.MaxConnections);
            return;
        }

        if (_perIp.AddOrUpdate(remote, 1, static (_, n) => n + 1) > _options.MaxConnectionsPerIp)
        {
            ReleaseSlot(remote);
            _counters.RejectedForPerIpLimit();
            Refuse(socket, remote, "per_ip", _options.MaxConnectionsPerIp);
            return;
        }

        var id = Interlocked.Increment(ref _connectionIds);
        var sessionId = Interlocked.Increment(ref _sessionIds);
        _counters.ConnectionOpened();
        var connection = new CapfConnection(
            socket, remote, sessionId == 0 ? 1 : sessionId, _options, _certificate, _service, _sessions, _counters, _warnings, _time, _logger);
        var task = Task.Run(() => RunAsync(id, connection, remote), CancellationToken.None);
        _connections.TryAdd(id, task);
    }

    private async Task RunAsync(long id, CapfConnection connection, IPAddress remote)
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

    private void Refuse(Socket socket, IPAddress remote, string limit, int max)
    {
        if (_warnings.ShouldLog("limit_" + limit, remote))
        {
            CapfLog.LimitReached(_logger, remote.ToString(), limit, max);
        }

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
}
