using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SbdServer.Core.Diagnostics;
using SbdServer.Core.Hosting;
using SbdServer.Core.Tftp;
using SbdServer.Tftp.Diagnostics;
using SbdServer.Tftp.Sessions;
using SbdServer.Tftp.Transport;
using SbdServer.Wire.Tftp;

namespace SbdServer.Tftp;

/// <summary>
/// The TFTP server (docs/protocols/tftp.md): one listening UDP socket, one session per client TID with its own
/// socket (or the listener in single-port mode), all of them read on one I/O thread (<see cref="TftpSocketLoop"/>)
/// whose tick drives every retransmission, limits checked before any work is done for a request.
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
    private const int ListenerBufferSize = 65536;
    private const int SessionBufferSize = 1024;
    private const int MaxNetasciiBytes = 16 * 1024 * 1024;

    // Requests read per wake-up: enough to keep up with a boot storm, few enough that the transfer sockets ready in
    // the same pass are not kept waiting behind a flood on the request port.
    private const int ListenerBatch = 64;
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(50);

    private readonly TftpOptions _options = options.Value;
    private readonly ITftpServedFileObserver[] _observers = [.. observers];
    private readonly ConcurrentDictionary<IPEndPoint, TftpSession> _sessions = new();
    private readonly TftpClientLimiter _clients = new(
        time, options.Value.MaxSessionsPerClient, options.Value.MaxRequestsPerSecondPerClient);
    private readonly LogRateLimiter _transferLog = new(time, options.Value.MaxTransferLogLinesPerSecond, TimeSpan.FromSeconds(1));
    private readonly PeerWarningLimiter _warnings = (peerWarnings ??= new PeerWarnings(time)).Create(
        TftpWarningKinds.Listener,
        summary => TftpLog.WarningsSuppressed(logger, summary.Suppressed, summary.Kind, summary.PeerText, summary.WindowSeconds));

    // Requests refused at once (no such file, access violation) are the peer's choice of name: a loop of them from
    // one address is limited like a warning, more generously, since a booting phone asks for a few missing files.
    private readonly PeerWarningLimiter _refusals = peerWarnings.Create(
        TftpWarningKinds.Listener,
        summary => TftpLog.RefusalLinesSuppressed(logger, summary.Suppressed, summary.Kind, summary.PeerText, summary.WindowSeconds),
        new PeerWarningOptions { PerPeer = 20, PerKind = 200 });
    private readonly CancellationTokenSource _stopping = new();
    private readonly byte[] _listenerBuffer = GC.AllocateUninitializedArray<byte>(ListenerBufferSize);
    private readonly byte[] _sessionBuffer = new byte[SessionBufferSize];
    private readonly SocketAddress _from4 = new(AddressFamily.InterNetwork);
    private readonly SocketAddress _from6 = new(AddressFamily.InterNetworkV6);
    private Socket? _listener;
    private EndPoint _listenerAny = new IPEndPoint(IPAddress.Any, 0);
    private TftpSocketLoop? _loop;
    private int _ticks;
    private bool _listenerIsWildcard;
    private int _sessionCount;
    private int _nextDataPort;

    /// <summary>The bound listening endpoint (the real port when <see cref="TftpOptions.Port"/> is 0).</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>Sessions in progress (including requests whose file is being looked up).</summary>
    public int ActiveSessions => Volatile.Read(ref _sessionCount);

    // Bind here, not in ExecuteAsync: since .NET 10 ExecuteAsync runs entirely in the background, so only StartAsync
    // can make "port 69 is taken" fail the host start with a message that says what to do.
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var address = IPAddress.Parse(_options.Address);
        var endPoint = new IPEndPoint(address, _options.Port);
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true; // one socket for IPv6 and IPv4 (IPV6_V6ONLY off)
            }

            socket.ReceiveBufferSize = 4 * 1024 * 1024;
            socket.Bind(endPoint);
            socket.Blocking = false; // a readiness report without a datagram must not block the I/O thread
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new ListenerBindException(
                "Tftp:Port", ex.SocketErrorCode, BindFailureMessage("UDP", endPoint, ex.SocketErrorCode, "Tftp:Port"), ex);
        }

        _listener = socket;
        _listenerAny = new IPEndPoint(address.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        _loop = new TftpSocketLoop(socket, OnListenerReadable, OnSessionReadable, OnTick, TickInterval, time,
            SocketReadiness.Create());
        _listenerIsWildcard = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _nextDataPort = _options.DataPortMin;
        if (logger.IsEnabled(LogLevel.Information))
        {
            var sources = string.Join(", ", catalogue.Sources.Select(s => s.Name));
            TftpLog.Listening(logger, LocalEndPoint,
                (_options.SinglePort ? "single-port, " : "port per transfer, ") + _loop.Mechanism,
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
        foreach (var session in _sessions.Values)
        {
            lock (session.Gate)
            {
                Finish(session, "aborted-shutdown");
            }
        }

        // What the last window suppressed is still reported.
        _warnings.Flush();
        _refusals.Flush();
    }

    public override void Dispose()
    {
        _warnings.Dispose();
        _refusals.Dispose();
        _loop?.Dispose();
        _listener?.Dispose();
        _stopping.Dispose();
        base.Dispose();
    }

    /// <summary>The text a bind failure stops the host with: the port, the cause, and the fix.</summary>
    public static string BindFailureMessage(string protocol, IPEndPoint endPoint, SocketError error, string key)
    {
        var (cause, fix) = error switch
        {
            SocketError.AddressAlreadyInUse => (
                "the port is already in use (another TFTP/HTTP server such as tftpd-hpa, atftpd or dnsmasq?)",
                $"stop the other service, or set {key} (and Tftp:Address) to a free port"),
            SocketError.AccessDenied => (
                "permission denied (ports below 1024 need privileges)",
                $"grant CAP_NET_BIND_SERVICE (systemd AmbientCapabilities=CAP_NET_BIND_SERVICE), or set {key} "
                + "to a port >= 1024 and redirect the standard port with the firewall"),
            SocketError.AddressNotAvailable => (
                "the address is not configured on this machine",
                "set Tftp:Address to a local address, or :: for all addresses"),
            _ => ($"socket error {error}", $"check Tftp:Address and {key}"),
        };
        return $"TFTP cannot listen on {protocol} {endPoint} (port {endPoint.Port}): {cause}. Fix: {fix}.";
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // StopAsync stops the loop (before the base class cancels stoppingToken).
        _loop!.Start();
        return _loop.Completion;
    }

    /// <summary>
    /// The listener has datagrams (I/O thread): reads up to <see cref="ListenerBatch"/> of them. One per wake-up let a
    /// boot storm's requests queue behind every transfer socket that was ready in the same pass (each pass serves all of
    /// them), so a phone waited hundreds of milliseconds for an answer as simple as "file not found" (docs/benchmarks.md).
    /// </summary>
    private void OnListenerReadable()
    {
        for (var i = 0; i < ListenerBatch; i++)
        {
            if (!ReadListenerDatagram())
            {
                return;
            }
        }
    }

    /// <summary>Reads and handles one datagram; false when the listener has nothing more to read now.</summary>
    private bool ReadListenerDatagram()
    {
        var socket = _listener!;
        var flags = SocketFlags.None;
        var from = _listenerAny;
        int length;
        IPPacketInformation packetInformation;
        try
        {
            length = socket.ReceiveMessageFrom(_listenerBuffer, ref flags, ref from, out packetInformation);
        }
        catch (SocketException ex)
        {
            // Nothing left to read ends the batch; an ICMP echo of an earlier send or an oversized datagram does not.
            return ex.SocketErrorCode != SocketError.WouldBlock;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }

        var remote = Normalize((IPEndPoint)from);
        try
        {
            OnListenerDatagram(_listenerBuffer.AsSpan(0, length), remote, NormalizeAddress(packetInformation.Address));
        }
        catch (Exception ex)
        {
            TftpLog.DatagramFailed(logger, ex, remote); // one bad datagram never stops the loop
        }

        return true;
    }

    private void OnListenerDatagram(ReadOnlySpan<byte> packet, IPEndPoint remote, IPAddress? local)
    {
        // Never answer fewer than 4 bytes: no TFTP packet is that short, and silence makes us no reflector.
        if (packet.Length < TftpPacket.HeaderSize || !TftpPacket.TryReadOpcode(packet, out var opcode))
        {
            Malformed(remote, $"{packet.Length}-byte packet");
            return;
        }

        if (_options.SinglePort && opcode is (ushort)TftpOpcode.Ack or (ushort)TftpOpcode.Error
            && _sessions.TryGetValue(remote, out var owner))
        {
            OnSessionDatagram(owner, packet);
            return;
        }

        if (opcode is not ((ushort)TftpOpcode.Rrq or (ushort)TftpOpcode.Wrq))
        {
            Malformed(remote, $"opcode {opcode} sent to the request port");
            return;
        }

        metrics.Request();
        if (local is not null && IsBroadcastOrMulticast(local))
        {
            return; // RFC 1123 4.2.3.4: requests to a broadcast address are ignored
        }

        TftpRequest request;
        try
        {
            request = TftpRequestCodec.Parse(packet);
        }
        catch (TftpFormatException ex)
        {
            metrics.IllegalRequest();
            Malformed(remote, ex.Message);
            ReplyFromListener(remote, TftpErrorCode.IllegalOperation, "Illegal TFTP request");
            return;
        }

        if (request.Opcode == TftpOpcode.Wrq)
        {
            metrics.IllegalRequest();
            ReplyFromListener(remote, TftpErrorCode.AccessViolation, "Write requests are not accepted");
            return;
        }

        if (!TftpRequestCodec.TryParseMode(request.ModeText, out var mode))
        {
            metrics.IllegalRequest();
            ReplyFromListener(remote, TftpErrorCode.IllegalOperation, "Unsupported transfer mode");
            return;
        }

        if (_sessions.TryGetValue(remote, out var existing))
        {
            lock (existing.Gate)
            {
                if (string.Equals(existing.RequestedName, request.FileName, StringComparison.Ordinal)
                    && !existing.IsFinished)
                {
                    // A retransmitted RRQ: re-trigger the first packet instead of a second transfer.
                    metrics.DuplicateRequest();
                    existing.Transfer?.OnDuplicateRequest();
                    return;
                }

                Finish(existing, "superseded"); // the client reused its port for a new request
            }
        }

        if (!Admit(remote))
        {
            return;
        }

        var session = new TftpSession(remote, request.FileName, mode, FormatOptions(request.Options), time.GetTimestamp());
        if (!_sessions.TryAdd(remote, session))
        {
            Release(remote); // lost a race with an identical request: that one serves it
            return;
        }

        metrics.SessionOpened();
        _ = StartSessionAsync(session, request, mode, local);
    }

    private bool Admit(IPEndPoint remote)
    {
        if (Interlocked.Increment(ref _sessionCount) > _options.MaxSessions)
        {
            Interlocked.Decrement(ref _sessionCount);
            metrics.RejectedGlobal();
            OverLimit(remote, "global session limit (Tftp:MaxSessions) reached");
            return false;
        }

        var admission = _clients.TryAdmit(remote.Address);
        if (admission == TftpAdmission.Admitted)
        {
            return true;
        }

        Interlocked.Decrement(ref _sessionCount);
        if (admission == TftpAdmission.TooManySessions)
        {
            metrics.RejectedPerClient();
            OverLimit(remote, "per-client session limit (Tftp:MaxSessionsPerClient) reached");
        }
        else
        {
            metrics.RejectedRate();
            OverLimit(remote, "per-client request rate (Tftp:MaxRequestsPerSecondPerClient) exceeded");
        }

        return false;
    }

    private void Release(IPEndPoint remote)
    {
        Interlocked.Decrement(ref _sessionCount);
        _clients.Release(remote.Address);
    }

    private async Task StartSessionAsync(TftpSession session, TftpRequest request, TftpMode mode, IPAddress? local)
    {
        TftpLookupResult lookup;
        try
        {
            lookup = await catalogue.OpenAsync(request.FileName, session.Client.Address, TftpChannel.Tftp, _stopping.Token);
        }
        catch (Exception ex)
        {
            metrics.LookupFailure();
            if (!_stopping.IsCancellationRequested)
            {
                var file = LogText.EscapeLatin1(request.FileName);
                TftpLog.LookupFailed(logger, ex, file);
            }

            lock (session.Gate)
            {
                if (OpenChannel(session, local))
                {
                    SendError(session, TftpErrorCode.NotDefined, "File temporarily unavailable");
                }

                Finish(session, "lookup-failed");
            }

            return;
        }

        lock (session.Gate)
        {
            if (session.IsFinished)
            {
                lookup.Content?.Dispose(); // superseded or shut down while we looked the file up
                return;
            }

            if (lookup.Status != TftpLookupStatus.Found)
            {
                var notFound = lookup.Status == TftpLookupStatus.NotFound;
                if (notFound)
                {
                    metrics.FileNotFound();
                }
                else
                {
                    metrics.AccessViolation();
                }

                // Error answers go out from the listener when that needs no extra socket and keeps the source address.
                if (_listenerIsWildcard && !_options.SinglePort)
                {
                    if (OpenChannel(session, local))
                    {
                        SendErrorLookup(session, notFound);
                    }
                }
                else
                {
                    session.SendSocket = _listener;
                    SendErrorLookup(session, notFound);
                }

                Finish(session, notFound ? "not-found" : "access-violation");
                return;
            }

            session.Content = lookup.Content;
            session.ServedName = lookup.ServedName!;
            session.Source = lookup.Content!.Source;
            if (!OpenChannel(session, local))
            {
                Finish(session, "no-data-port");
                return;
            }

            var content = lookup.Content;
            if (mode == TftpMode.Netascii)
            {
                if (content.Length > MaxNetasciiBytes)
                {
                    SendError(session, TftpErrorCode.NotDefined, "File too large for netascii; use octet");
                    Finish(session, "netascii-too-large");
                    return;
                }

                var raw = new byte[content.Length];
                content.Read(0, raw);
                content = TftpFileContent.FromMemory(Netascii.Encode(raw), content.Source);
            }

            var maxBlock = session.Client.AddressFamily == AddressFamily.InterNetworkV6
                ? _options.MaxBlockSize - 20
                : _options.MaxBlockSize;
            var negotiation = TftpNegotiation.Negotiate(
                request.Options, mode, content.Length, maxBlock, _options.MaxWindowSize);
            session.OptionsGranted = FormatOptions(negotiation.Accepted);
            session.Transfer = new TftpTransfer(content, negotiation, session, time,
                TimeSpan.FromMilliseconds(_options.RetransmitTimeoutMs),
                TimeSpan.FromMilliseconds(_options.MaxRetransmitTimeoutMs), _options.MaxRetransmits);
            metrics.TransferStarted();
            session.Transfer.Start();
            if (session.Socket is not null && !session.IsFinished)
            {
                session.LoopOwnsSocket = true;
                _loop!.Register(session);
            }
        }
    }

    private void SendErrorLookup(TftpSession session, bool notFound)
    {
        if (notFound)
        {
            SendError(session, TftpErrorCode.FileNotFound, "File not found");
        }
        else
        {
            SendError(session, TftpErrorCode.AccessViolation, "Access violation");
        }
    }

    /// <summary>Gives the session its transfer ID: a socket on the address the request arrived on.</summary>
    private bool OpenChannel(TftpSession session, IPAddress? local)
    {
        if (_options.SinglePort)
        {
            session.SendSocket = _listener;
            return true;
        }

        var family = session.Client.AddressFamily;
        var bindAddress = local is not null && local.AddressFamily == family && !IsBroadcastOrMulticast(local)
            ? local
            : family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp) { Blocking = false };
        if (TryBindDataPort(socket, bindAddress))
        {
            session.Socket = socket;
            session.SendSocket = socket;
            return true;
        }

        socket.Dispose();
        metrics.RejectedNoPort();
        OverLimit(session.Client, "no free port in Tftp:DataPortMin..Tftp:DataPortMax");
        return false;
    }

    private bool TryBindDataPort(Socket socket, IPAddress address)
    {
        if (_options.DataPortMin == 0)
        {
            try
            {
                socket.Bind(new IPEndPoint(address, 0));
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }

        var span = _options.DataPortMax - _options.DataPortMin + 1;
        for (var attempt = 0; attempt < span; attempt++)
        {
            var port = _options.DataPortMin + (int)((uint)Interlocked.Increment(ref _nextDataPort) % (uint)span);
            try
            {
                socket.Bind(new IPEndPoint(address, port));
                return true;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
            }
            catch (SocketException)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>A transfer socket has a datagram (I/O thread).</summary>
    private void OnSessionReadable(TftpSession session)
    {
        var socket = session.Socket!;
        var from = socket.AddressFamily == AddressFamily.InterNetworkV6 ? _from6 : _from4;
        int length;
        try
        {
            length = socket.ReceiveFrom(_sessionBuffer, SocketFlags.None, from);
        }
        catch (SocketException)
        {
            return; // ICMP unreachable, a truncated datagram, or nothing left to read: the retransmit timer decides
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        if (!from.Equals(session.ClientAddress))
        {
            OnStranger(socket, from, length);
            return;
        }

        try
        {
            OnSessionDatagram(session, _sessionBuffer.AsSpan(0, length));
        }
        catch (Exception ex)
        {
            TftpLog.DatagramFailed(logger, ex, session.Client);
        }
    }

    private void OnSessionDatagram(TftpSession session, ReadOnlySpan<byte> packet)
    {
        if (packet.Length < TftpPacket.HeaderSize)
        {
            return;
        }

        lock (session.Gate)
        {
            var transfer = session.Transfer;
            if (transfer is null || session.IsFinished)
            {
                return;
            }

            if (packet[0] != 0)
            {
                return;
            }

            switch (packet[1])
            {
                case (byte)TftpOpcode.Ack:
                    transfer.OnAck(TftpPacket.ReadBlock(packet));
                    break;
                case (byte)TftpOpcode.Error:
                    transfer.OnClientError((TftpErrorCode)TftpPacket.ReadBlock(packet));
                    break;
                default:
                    return; // anything else from the client is ignored; its timer or ours sorts it out
            }

            if (transfer.State != TftpTransferState.Running)
            {
                Finish(session, Outcome(transfer));
            }
        }
    }

    private void OnStranger(Socket socket, SocketAddress from, int length)
    {
        metrics.ForeignTid();
        if (length < TftpPacket.HeaderSize)
        {
            return;
        }

        // RFC 1350: a packet from a wrong TID gets ERROR 5 and must not disturb the transfer.
        Span<byte> error = stackalloc byte[32];
        var n = TftpPacket.WriteError(error, TftpErrorCode.UnknownTransferId, "Unknown transfer ID");
        try
        {
            socket.SendTo(error[..n], SocketFlags.None, from);
        }
        catch (SocketException)
        {
        }
    }

    /// <summary>Every <see cref="TickInterval"/> on the I/O thread: retransmissions, timeouts, log summaries.</summary>
    private void OnTick()
    {
        // Enumerating the dictionary itself takes no snapshot (Values would copy it every tick).
        foreach (var (_, session) in _sessions)
        {
            try
            {
                lock (session.Gate)
                {
                    var transfer = session.Transfer;
                    if (transfer is null || session.IsFinished)
                    {
                        continue;
                    }

                    transfer.OnTick();
                    if (transfer.State != TftpTransferState.Running)
                    {
                        Finish(session, Outcome(transfer));
                    }
                }
            }
            catch (Exception ex)
            {
                TftpLog.TickFailed(logger, ex, session.Client); // one broken session never stops the I/O thread
            }
        }

        if (++_ticks % 20 == 0)
        {
            var suppressed = _transferLog.TakeSuppressed();
            if (suppressed > 0)
            {
                metrics.LogLinesSuppressed(suppressed);
                TftpLog.TransferLinesSuppressed(logger, suppressed, _transferLog.Limit);
            }

            _clients.Sweep();
        }
    }

    /// <summary>Ends a session once: frees its slot and socket, records and logs the outcome. Caller holds the gate.</summary>
    private void Finish(TftpSession session, string outcome)
    {
        if (!session.TryMarkFinished())
        {
            return;
        }

        _sessions.TryRemove(new KeyValuePair<IPEndPoint, TftpSession>(session.Client, session));
        Release(session.Client);
        metrics.SessionClosed();
        if (!session.LoopOwnsSocket)
        {
            session.Socket?.Dispose(); // a registered socket is closed by the I/O thread, never under its poll(2)
        }

        var transfer = session.Transfer;
        if (transfer is not null)
        {
            metrics.Retransmit(transfer.Retransmits);
            metrics.DuplicateAckIgnored(transfer.DuplicateAcks);
            switch (transfer.State)
            {
                case TftpTransferState.Completed:
                    metrics.TransferCompleted(session.Content!.Length);
                    Notify(session);
                    break;
                case TftpTransferState.TimedOut:
                    metrics.Timeout();
                    break;
                case TftpTransferState.ClientError:
                    metrics.ClientError();
                    break;
                case TftpTransferState.Running:
                    break;
            }
        }

        session.Content?.Dispose();
        if (!logger.IsEnabled(LogLevel.Information))
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
        if (refusal is not null ? _refusals.ShouldLog(refusal, session.Client.Address) : _transferLog.TryAcquire(out suppressed))
        {
            if (suppressed > 0)
            {
                metrics.LogLinesSuppressed(suppressed);
                TftpLog.TransferLinesSuppressed(logger, suppressed, _transferLog.Limit);
            }

            var durationMs = (long)time.GetElapsedTime(session.StartedTimestamp).TotalMilliseconds;

            // Names and options are the peer's bytes (decoded one per character): escaped, never raw.
            var file = LogText.EscapeLatin1(session.RequestedName);
            var served = LogText.EscapeLatin1(session.ServedName);
            var asked = LogText.EscapeLatin1(session.OptionsAsked);
            var granted = LogText.EscapeLatin1(session.OptionsGranted);
            TftpLog.Transfer(logger, outcome, session.Client, file, served, session.Source,
                session.Mode == TftpMode.Octet ? "octet" : "netascii", asked, granted,
                transfer?.AckedBytes ?? 0, transfer?.AckedBlocks ?? 0, transfer?.Retransmits ?? 0,
                transfer?.DuplicateAcks ?? 0, durationMs);
        }
    }

    private void Notify(TftpSession session)
    {
        if (_observers.Length == 0)
        {
            return;
        }

        var served = new TftpServedFile(session.RequestedName, session.ServedName, session.Source, session.Client,
            TftpChannel.Tftp, session.Content!.Length, session.Content.GetHashes(), time.GetUtcNow());
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

    private static string Outcome(TftpTransfer transfer) => transfer.State switch
    {
        TftpTransferState.Completed => "completed",
        TftpTransferState.TimedOut => "timed-out",
        TftpTransferState.ClientError => $"client-error-{(int?)transfer.ClientErrorCode}",
        TftpTransferState.Running => "running",
        _ => "unknown",
    };

    private void SendError(TftpSession session, TftpErrorCode code, string message)
    {
        Span<byte> packet = stackalloc byte[TftpPacket.HeaderSize + TftpPacket.MaxErrorMessageLength + 1];
        session.Send(packet[..TftpPacket.WriteError(packet, code, message)]);
    }

    private void ReplyFromListener(IPEndPoint remote, TftpErrorCode code, string message)
    {
        Span<byte> packet = stackalloc byte[TftpPacket.HeaderSize + TftpPacket.MaxErrorMessageLength + 1];
        var n = TftpPacket.WriteError(packet, code, message);
        try
        {
            _listener?.SendTo(packet[..n], SocketFlags.None, ToListenerFamily(remote));
        }
        catch (SocketException)
        {
        }
    }

    private void OverLimit(IPEndPoint remote, string reason)
    {
        if (_warnings.ShouldLog(TftpWarningKinds.Refused, remote.Address))
        {
            TftpLog.RequestRefused(logger, remote, reason);
        }

        if (_options.OverLimitAction == TftpOverLimitAction.Busy)
        {
            ReplyFromListener(remote, TftpErrorCode.NotDefined, "Server busy, try again later");
        }
    }

    private void Malformed(IPEndPoint remote, string reason)
    {
        metrics.MalformedPacket();
        if (_warnings.ShouldLog(TftpWarningKinds.Malformed, remote.Address))
        {
            var escaped = LogText.Escape(reason);
            TftpLog.MalformedPacket(logger, remote, escaped);
        }
    }

    private IPEndPoint ToListenerFamily(IPEndPoint remote) =>
        _listener!.AddressFamily == AddressFamily.InterNetworkV6 && remote.AddressFamily == AddressFamily.InterNetwork
            ? new IPEndPoint(remote.Address.MapToIPv6(), remote.Port)
            : remote;

    private static IPEndPoint Normalize(IPEndPoint endPoint) => endPoint.Address.IsIPv4MappedToIPv6
        ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port)
        : endPoint;

    private static IPAddress? NormalizeAddress(IPAddress? address) =>
        address is null || address.Equals(IPAddress.None) || address.Equals(IPAddress.IPv6None)
            ? null
            : address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static bool IsBroadcastOrMulticast(IPAddress address) =>
        address.Equals(IPAddress.Broadcast)
        || (address.AddressFamily == AddressFamily.InterNetwork && (address.GetAddressBytes()[0] & 0xF0) == 0xE0)
        || (address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv6Multicast);

    private static string FormatOptions(IReadOnlyList<TftpOption> options) =>
        options.Count == 0 ? string.Empty : string.Join(' ', options.Select(o => $"{o.Name}={o.Value}"));
}
