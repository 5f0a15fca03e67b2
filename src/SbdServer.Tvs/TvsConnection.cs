using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SbdServer.Core.Diagnostics;
using SbdServer.Core.Tvs;
using SbdServer.Listeners;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Tvs;

namespace SbdServer.Tvs;

/// <summary>
/// One phone connection: TLS handshake within <see cref="TvsOptions.HandshakeTimeout"/>, then requests answered
/// in order until the client closes, goes silent for <see cref="TvsOptions.ReadTimeout"/>, or breaks the protocol
/// (closed without an answer, logged once, rate-limited per address). When the server ends the connection after
/// answering it sends close_notify and FIN, then reads and discards what the client still sends for at most
/// <see cref="TvsOptions.CloseDrainTimeout"/>: closing with unread input would make the kernel reset the connection,
/// and a reset destroys answers the client has not read yet.
/// </summary>
internal sealed class TvsConnection(
    ListenerConnection connection,
    TvsOptions options,
    ServerCertificateReloader certificate,
    TvsRequestHandler handler,
    TvsQueryLog queryLog,
    TvsCounters counters,
    TimeProvider timeProvider,
    PeerWarningLimiter warnings,
    ILogger logger)
{
    private const int MaxDrainBytes = 1024 * 1024;
    private readonly long _id = connection.Id;
    private readonly Socket _socket = connection.Socket;
    private readonly IPAddress _remote = connection.Remote;
    private readonly string _remoteAddress = connection.Remote.ToString();

    /// <summary>Serves the connection until it ends; the kit's token ends it on shutdown or when it idles out.</summary>
    public async Task RunAsync()
    {
        var stopping = connection.Closing;
        _socket.NoDelay = true;
        await using var tls = new SslStream(connection.Stream, leaveInnerStreamOpen: false);
        try
        {
            if (!await HandshakeAsync(tls, stopping))
            {
                return;
            }

            if (await ServeAsync(tls, stopping))
            {
                await CloseAfterAnswersAsync(tls, stopping);
            }
        }
        catch (TvsFormatException ex)
        {
            counters.ProtocolViolation();
            if (warnings.ShouldLog(TvsWarningKinds.Protocol, _remote))
            {
                var reason = LogText.Escape(ex.Message);
                TvsLog.ProtocolViolation(logger, _id, _remoteAddress, reason);
            }

            await CloseAfterAnswersAsync(tls, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down, or idle for Tvs:IdleTimeout (counted and logged by the server): dropped without an answer.
        }
        catch (IOException)
        {
            TvsLog.ClientClosed(logger, _id, _remoteAddress);
        }
        catch (Exception ex)
        {
            // A trust store or other infrastructure failure: fail closed, no answer.
            counters.InternalError();
            TvsLog.InternalError(logger, ex, _id, _remoteAddress);
        }
    }

    /// <summary>
    /// close_notify, FIN, then discard input until the client closes, the drain timeout, or 1 MiB: answers already
    /// written stay deliverable, and a client that keeps sending cannot hold the connection for long.
    /// </summary>
    private async Task CloseAfterAnswersAsync(SslStream tls, CancellationToken stopping)
    {
        if (options.CloseDrainTimeout <= TimeSpan.Zero)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(options.CloseDrainTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
        var discard = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            // A client that reads nothing could block close_notify forever; the deadline covers it too.
            await tls.ShutdownAsync().WaitAsync(linked.Token);
            _socket.Shutdown(SocketShutdown.Send);
            var drained = 0;
            while (drained < MaxDrainBytes)
            {
                var n = await _socket.ReceiveAsync(discard, SocketFlags.None, linked.Token);
                if (n == 0)
                {
                    return;
                }

                drained += n;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException
            or ObjectDisposedException or InvalidOperationException)
        {
            // The client went away or ran out the drain time; closing is all that is left.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(discard);
        }
    }

    private async Task<bool> HandshakeAsync(SslStream tls, CancellationToken stopping)
    {
        var result = await certificate.AuthenticateAsync(tls, options.HandshakeTimeout, timeProvider, stopping);
        switch (result.Outcome)
        {
            case TlsHandshakeOutcome.TimedOut:
                counters.HandshakeTimedOut();
                if (warnings.ShouldLog(TvsWarningKinds.HandshakeTimeout, _remote))
                {
                    TvsLog.HandshakeTimeout(logger, _id, _remoteAddress, options.HandshakeTimeout.TotalMilliseconds);
                }

                break;
            case TlsHandshakeOutcome.Failed:
                counters.HandshakeFailed();
                if (warnings.ShouldLog(TvsWarningKinds.HandshakeFailed, _remote))
                {
                    var reason = LogText.Escape(Describe(result.Failure!));
                    TvsLog.HandshakeFailed(logger, _id, _remoteAddress, reason);
                }

                break;
        }

        return result.Completed;
    }

    /// <summary>Answers requests; true when it stopped at the request cap (the server ends the connection).</summary>
    private async Task<bool> ServeAsync(SslStream tls, CancellationToken stopping)
    {
        var header = new byte[TvsHeader.Size];
        for (var served = 0; served < options.MaxRequestsPerConnection; served++)
        {
            var request = await ReadRequestAsync(tls, header, stopping);
            if (request is null)
            {
                return false;
            }

            var started = timeProvider.GetTimestamp();
            var decision = await handler.HandleAsync(request, stopping);
            var answer = TvsCodec.Write(decision.Response);
            using (var timeout = new CancellationTokenSource(options.ReadTimeout, timeProvider))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping))
            {
                await tls.WriteAsync(answer, linked.Token);
            }

            Record(request, decision, timeProvider.GetElapsedTime(started).TotalMilliseconds);
        }

        return true;
    }

    /// <summary>The next request, or null when the client closed cleanly between requests or went silent.</summary>
    private async Task<TvsRequest?> ReadRequestAsync(SslStream tls, byte[] header, CancellationToken stopping)
    {
        // One deadline for the whole message: a client trickling a byte at a time cannot hold the slot forever.
        using var timeout = new CancellationTokenSource(options.ReadTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
        try
        {
            var got = await tls.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, linked.Token);
            if (got == 0)
            {
                return null;
            }

            if (got < header.Length)
            {
                throw new TvsFormatException($"TVS header truncated: {got} of {TvsHeader.Size} bytes before the client closed.");
            }

            TvsHeader.TryRead(header, out var parsed);
            if (!parsed.IsRequest)
            {
                throw new TvsFormatException($"TVS command {(byte)parsed.Command} is a response, not a request.");
            }

            // Checked against the declared length before buffering, so a hostile length costs nothing.
            if (parsed.BodyLength > options.MaxMessageBytes)
            {
                throw new TvsFormatException(
                    $"TVS body length {parsed.BodyLength} exceeds the limit of {options.MaxMessageBytes} bytes.");
            }

            var body = new byte[parsed.BodyLength];
            got = await tls.ReadAtLeastAsync(body, body.Length, throwOnEndOfStream: false, linked.Token);
            if (got < body.Length)
            {
                throw new TvsFormatException($"TVS body truncated: {got} of {parsed.BodyLength} bytes before the client closed.");
            }

            return TvsCodec.ReadRequest(parsed, body);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            counters.ReadTimedOut();
            if (warnings.ShouldLog(TvsWarningKinds.ReadTimeout, _remote))
            {
                TvsLog.ReadTimeout(logger, _id, _remoteAddress, options.ReadTimeout.TotalMilliseconds);
            }

            return null;
        }
    }

    private void Record(TvsRequest request, TvsDecision decision, double durationMs)
    {
        var response = decision.Response;
        var roles = response.Status == TvsStatus.Valid && decision.Entry is { } entry ? entry.Roles : [];
        counters.Answered(request.Command, decision.Outcome);
        var query = request as TvsQueryRequest;
        queryLog.Add(new TvsQueryRecord(
            timeProvider.GetUtcNow(),
            _remoteAddress,
            request.DeviceName,
            request.Command,
            decision.CertificateSha256,
            query?.SubjectName,
            query?.IssuerName,
            query is null ? null : TvsLookupKey.NormalizeSerial(query.SerialNumber.Span),
            response.Status,
            decision.Outcome,
            roles,
            response.TtlSeconds,
            durationMs));

        if (logger.IsEnabled(LogLevel.Information))
        {
            var command = request.Command == TvsCommand.VerifyRequest ? "VERIFY" : "QUERY";
            var status = response.Status == TvsStatus.Valid ? "valid" : "invalid";
            var outcome = decision.Outcome.ToString();
            var roleNames = string.Join(",", roles.Select(TrustRoles.DisplayName));
            var ttl = response.TtlSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-";
            var duration = Math.Round(durationMs, 3);
            var device = LogText.Escape(request.DeviceName);
            TvsLog.Answered(
                logger, command, device, _remoteAddress, status, outcome,
                decision.CertificateSha256 ?? "-", roleNames, ttl, duration);
        }
    }

    private static string Describe(Exception ex)
    {
        // The innermost message names the OpenSSL reason (e.g. "unsupported protocol") without peer bytes.
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return ReferenceEquals(inner, ex) ? ex.Message : ex.Message + " (" + inner.Message + ")";
    }
}
