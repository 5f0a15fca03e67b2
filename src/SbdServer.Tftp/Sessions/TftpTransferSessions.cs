using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SbdServer.Core.Diagnostics;
using SbdServer.Core.Tftp;
using SbdServer.Tftp.Diagnostics;
using SbdServer.Tftp.Transport;
using SbdServer.Wire.Tftp;

namespace SbdServer.Tftp.Sessions;

/// <summary>
/// The sessions in progress, one per client TID: opening one for an admitted RRQ (file lookup, transfer socket,
/// option negotiation), feeding it the client's ACK/ERROR datagrams and the retransmission tick, and finishing it
/// once (slot, socket, metrics, served-file report, transfer line).
/// </summary>
internal sealed class TftpTransferSessions(
    TftpOptions options,
    TftpCatalogue catalogue,
    TftpMetrics metrics,
    ITftpServedFileObserver[] observers,
    TimeProvider time,
    TftpAdmissionControl admission,
    TftpTransferLog log,
    TftpListenerSocket listener,
    TftpSocketLoop loop,
    CancellationToken stopping)
{
    private const int SessionBufferSize = 1024;
    private const int MaxNetasciiBytes = 16 * 1024 * 1024;

    private readonly ConcurrentDictionary<IPEndPoint, TftpSession> _sessions = new();
    private readonly byte[] _sessionBuffer = new byte[SessionBufferSize];
    private readonly SocketAddress _from4 = new(AddressFamily.InterNetwork);
    private readonly SocketAddress _from6 = new(AddressFamily.InterNetworkV6);
    private int _ticks;
    private int _nextDataPort = options.DataPortMin;

    /// <summary>
    /// Single-port mode: an ACK or ERROR on the request port that belongs to a session in progress; false when the
    /// sender has none.
    /// </summary>
    public bool TryDeliver(IPEndPoint remote, ReadOnlySpan<byte> packet)
    {
        if (!_sessions.TryGetValue(remote, out var owner))
        {
            return false;
        }

        OnSessionDatagram(owner, packet);
        return true;
    }

    /// <summary>A valid RRQ from <paramref name="remote"/>: a new session, or the retransmission of one in progress.</summary>
    public void Open(IPEndPoint remote, TftpRequest request, TftpMode mode, IPAddress? local)
    {
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

        if (!admission.TryAdmit(remote))
        {
            return;
        }

        var session = new TftpSession(remote, request.FileName, mode, FormatOptions(request.Options), time.GetTimestamp());
        if (!_sessions.TryAdd(remote, session))
        {
            admission.Release(remote); // lost a race with an identical request: that one serves it
            return;
        }

        metrics.SessionOpened();
        _ = StartAsync(session, request, mode, local);
    }

    /// <summary>A transfer socket has a datagram (I/O thread).</summary>
    public void OnSessionReadable(TftpSession session)
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
            TftpLog.DatagramFailed(log.Logger, ex, session.Client);
        }
    }

    /// <summary>Every tick on the I/O thread: retransmissions, timeouts, log summaries.</summary>
    public void OnTick()
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
                TftpLog.TickFailed(log.Logger, ex, session.Client); // one broken session never stops the I/O thread
            }
        }

        if (++_ticks % 20 == 0)
        {
            log.ReportSuppressed();
            admission.Sweep();
        }
    }

    /// <summary>Ends every session still in progress (shutdown).</summary>
    public void AbortAll()
    {
        foreach (var session in _sessions.Values)
        {
            lock (session.Gate)
            {
                Finish(session, "aborted-shutdown");
            }
        }
    }

    private async Task StartAsync(TftpSession session, TftpRequest request, TftpMode mode, IPAddress? local)
    {
        TftpLookupResult lookup;
        try
        {
            lookup = await catalogue.OpenAsync(request.FileName, session.Client.Address, TftpChannel.Tftp, stopping);
        }
        catch (Exception ex)
        {
            metrics.LookupFailure();
            if (!stopping.IsCancellationRequested)
            {
                var file = LogText.EscapeLatin1(request.FileName);
                TftpLog.LookupFailed(log.Logger, ex, file);
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
                Refuse(session, lookup.Status == TftpLookupStatus.NotFound, local);
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
                ? options.MaxBlockSize - 20
                : options.MaxBlockSize;
            var negotiation = TftpNegotiation.Negotiate(
                request.Options, mode, content.Length, maxBlock, options.MaxWindowSize);
            session.OptionsGranted = FormatOptions(negotiation.Accepted);
            session.Transfer = new TftpTransfer(content, negotiation, session, time,
                TimeSpan.FromMilliseconds(options.RetransmitTimeoutMs),
                TimeSpan.FromMilliseconds(options.MaxRetransmitTimeoutMs), options.MaxRetransmits);
            metrics.TransferStarted();
            session.Transfer.Start();
            if (session.Socket is not null && !session.IsFinished)
            {
                session.LoopOwnsSocket = true;
                loop.Register(session);
            }
        }
    }

    /// <summary>"File not found" or "Access violation" for a looked-up name. Caller holds the gate.</summary>
    private void Refuse(TftpSession session, bool notFound, IPAddress? local)
    {
        if (notFound)
        {
            metrics.FileNotFound();
        }
        else
        {
            metrics.AccessViolation();
        }

        // Error answers go out from the listener when that needs no extra socket and keeps the source address.
        if (listener.IsWildcard && !options.SinglePort)
        {
            if (OpenChannel(session, local))
            {
                SendLookupError(session, notFound);
            }
        }
        else
        {
            session.SendSocket = listener.Socket;
            SendLookupError(session, notFound);
        }

        Finish(session, notFound ? "not-found" : "access-violation");
    }

    private static void SendLookupError(TftpSession session, bool notFound)
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
        if (options.SinglePort)
        {
            session.SendSocket = listener.Socket;
            return true;
        }

        var family = session.Client.AddressFamily;
        var bindAddress = local is not null && local.AddressFamily == family && !TftpListenerSocket.IsBroadcastOrMulticast(local)
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
        admission.Refuse(session.Client, "no free port in Tftp:DataPortMin..Tftp:DataPortMax");
        return false;
    }

    private bool TryBindDataPort(Socket socket, IPAddress address)
    {
        if (options.DataPortMin == 0)
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

        var span = options.DataPortMax - options.DataPortMin + 1;
        for (var attempt = 0; attempt < span; attempt++)
        {
            var port = options.DataPortMin + (int)((uint)Interlocked.Increment(ref _nextDataPort) % (uint)span);
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

    /// <summary>Ends a session once: frees its slot and socket, records and logs the outcome. Caller holds the gate.</summary>
    private void Finish(TftpSession session, string outcome)
    {
        if (!session.TryMarkFinished())
        {
            return;
        }

        _sessions.TryRemove(new KeyValuePair<IPEndPoint, TftpSession>(session.Client, session));
        admission.Release(session.Client);
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
        log.Finished(session, outcome);
    }

    private void Notify(TftpSession session)
    {
        if (observers.Length == 0)
        {
            return;
        }

        var served = new TftpServedFile(session.RequestedName, session.ServedName, session.Source, session.Client,
            TftpChannel.Tftp, session.Content!.Length, session.Content.GetHashes(), time.GetUtcNow());
        foreach (var observer in observers)
        {
            try
            {
                observer.OnServed(served);
            }
            catch (Exception ex)
            {
                TftpLog.ObserverFailed(log.Logger, ex, observer.GetType().Name);
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

    private static void SendError(TftpSession session, TftpErrorCode code, string message)
    {
        Span<byte> packet = stackalloc byte[TftpPacket.HeaderSize + TftpPacket.MaxErrorMessageLength + 1];
        session.Send(packet[..TftpPacket.WriteError(packet, code, message)]);
    }

    private static string FormatOptions(IReadOnlyList<TftpOption> options) =>
        options.Count == 0 ? string.Empty : string.Join(' ', options.Select(o => $"{o.Name}={o.Value}"));
}
