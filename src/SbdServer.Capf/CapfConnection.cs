using System.Net;
using System.Net.Security;
using Microsoft.Extensions.Logging;
using SbdServer.Core.Capf;
using SbdServer.Core.DeviceManagement;
using SbdServer.Core.Diagnostics;
using SbdServer.Listeners;
using SbdServer.Wire.Capf;

namespace SbdServer.Capf;

/// <summary>
/// One CAPF session (formats.md section 6): TLS handshake, AUTH_REQUEST, the phone's AUTH_RESPONSE, then the
/// scheduled operation's exchange and END_SESSION. A message that breaks the protocol (malformed, oversized, wrong
/// command or session id) closes the connection without an answer and is logged once (rate-limited per peer).
/// </summary>
internal sealed class CapfConnection(
    ListenerConnection connection,
    uint sessionId,
    CapfOptions options,
    ServerCertificateReloader certificate,
    CapfService service,
    CapfSessionLog sessions,
    CapfCounters counters,
    PeerWarningLimiter warnings,
    TimeProvider time,
    ILogger logger)
{
    private readonly IPAddress _remoteAddress = connection.Remote;
    private readonly string _remote = connection.Remote.ToString();
    private readonly byte[] _header = new byte[CapfHeader.Size];
    private long _started;
    private string? _device;
    private CapfOperation _operation;
    private string _authMode = "-";
    private bool _recorded;

    private string Actor => "capf:" + _remote;

    /// <summary>Runs the session until it ends; the kit's token ends it on shutdown or when it idles out.</summary>
    public async Task RunAsync()
    {
        var stopping = connection.Closing;
        connection.Socket.NoDelay = true;
        _started = time.GetTimestamp();
        await using var tls = new SslStream(connection.Stream, leaveInnerStreamOpen: false);
        try
        {
            if (!await HandshakeAsync(tls, stopping))
            {
                return;
            }

            await SessionAsync(tls, stopping);
        }
        catch (CapfFormatException ex)
        {
            // The reason can quote what the peer sent (a device name, a length): escaped once, for log and session log.
            var reason = LogText.Escape(ex.Message);
            if (warnings.ShouldLog("protocol", _remoteAddress))
            {
                CapfLog.ProtocolViolation(logger, _remote, reason);
            }

            Record(CapfSessionOutcome.ProtocolViolation, reason, null);
        }
        catch (TimeoutException ex)
        {
            // A silent client is the cheapest flood there is: its lines are limited like the other peer warnings.
            if (warnings.ShouldLog("read_timeout", _remoteAddress))
            {
                CapfLog.TimedOut(logger, _remote, options.ReadTimeout.TotalMilliseconds, ex.Message);
            }

            Record(CapfSessionOutcome.TimedOut, ex.Message, null);
        }
        catch (OperationCanceledException) when (connection.IdledOut)
        {
            // The kit closed it (counted and logged by the server); the session log says how it ended.
            Record(CapfSessionOutcome.TimedOut, $"nothing sent or received for {options.IdleTimeout.TotalSeconds:0.###} s (Capf:IdleTimeout)", null);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: the connection is dropped with the listener.
        }
        catch (IOException)
        {
            Record(CapfSessionOutcome.Failed, "the phone closed the connection mid-session", null);
        }
        catch (Exception ex)
        {
            // A database or signing failure: fail closed, no answer, the cause in the log only.
            CapfLog.InternalError(logger, ex, sessionId, _remote);
            Record(CapfSessionOutcome.InternalError, "internal error (see the server log)", null);
        }
    }

    private async Task<bool> HandshakeAsync(SslStream tls, CancellationToken stopping)
    {
        var result = await certificate.AuthenticateAsync(tls, options.HandshakeTimeout, time, stopping);
        switch (result.Outcome)
        {
            case TlsHandshakeOutcome.TimedOut:
                counters.HandshakeFailed();
                if (warnings.ShouldLog("handshake_timeout", _remoteAddress))
                {
                    CapfLog.TimedOut(logger, _remote, options.HandshakeTimeout.TotalMilliseconds, "TLS handshake");
                }

                break;
            case TlsHandshakeOutcome.Failed:
                counters.HandshakeFailed();
                if (warnings.ShouldLog("handshake_failed", _remoteAddress))
                {
                    CapfLog.HandshakeFailed(logger, _remote, LogText.Escape(result.FailureReason));
                }

                break;
        }

        return result.Completed;
    }

    private async Task SessionAsync(SslStream tls, CancellationToken stopping)
    {
        // CUCM's server speaks first and announces no particular mode (capfd sends AUTH TYPE 0 too): the device's
        // scheduled authentication mode decides once the phone has named itself.
        await SendAsync(tls, CapfCodec.AuthRequest(sessionId, CapfAuthType.None), stopping);
        var auth = CapfCodec.ReadAuthResponse(await ReadAsync(tls, options.ReadTimeout, "AUTH_RESPONSE", stopping, CapfCommand.AuthResponse));
        _device = auth.DeviceName;
        var plan = await service.AuthenticateAsync(auth, Actor, stopping);
        _device = plan.DeviceName;
        _operation = plan.Operation;
        _authMode = plan.AuthMode;
        switch (plan.Step)
        {
            case CapfStep.End:
                await EndAsync(tls, plan.EndReason, plan.Outcome, plan.Detail, null, stopping);
                break;
            case CapfStep.Install:
                await InstallAsync(tls, plan, stopping);
                break;
            case CapfStep.Fetch:
                await FetchAsync(tls, plan, stopping);
                break;
            default:
                await DeleteAsync(tls, plan, stopping);
                break;
        }
    }

    /// <summary>Records the session, then sends END_SESSION: whoever reads the log after the phone's END sees it.</summary>
    private async Task EndAsync(
        SslStream tls, CapfReason reason, CapfSessionOutcome outcome, string? detail, string? serial, CancellationToken stopping)
    {
        Record(outcome, detail, serial);
        await SendAsync(tls, CapfCodec.EndSession(sessionId, reason), stopping);
    }

    private async Task InstallAsync(SslStream tls, CapfPlan plan, CancellationToken stopping)
    {
        var (keyType, curve) = plan.KeyType == CapfKeyKind.Rsa
            ? (CapfKeyType.Rsa, (CapfCurve?)null)
            : (CapfKeyType.Ec, plan.KeySize switch { 256 => CapfCurve.P256, 384 => CapfCurve.P384, _ => CapfCurve.P521 });
        await SendAsync(tls, CapfCodec.KeyGenerateRequest(sessionId, keyType, (ushort)plan.KeySize, curve), stopping);
        var answer = await ReadAsync(
            tls, options.KeyGenerationTimeout, "KEY_GENERATE_RESPONSE", stopping, CapfCommand.RequestInProgress, CapfCommand.KeyGenerateResponse);
        if (answer.Command == CapfCommand.RequestInProgress)
        {
            answer = await ReadAsync(tls, options.KeyGenerationTimeout, "KEY_GENERATE_RESPONSE", stopping, CapfCommand.KeyGenerateResponse);
        }

        if (answer.Get(CapfElementTag.PublicKey) is not { } publicKey)
        {
            await FailAsync(tls, plan, $"the phone could not generate its key (reason {(byte?)answer.Reason ?? 255})", stopping);
            return;
        }

        var (lsc, refusal) = await service.IssueAsync(plan, publicKey, stopping);
        if (lsc is null)
        {
            await FailAsync(tls, plan, refusal!, stopping);
            return;
        }

        await SendAsync(tls, CapfCodec.StoreCertificateRequest(sessionId, lsc), stopping);
        var stored = await ReadAsync(tls, options.ReadTimeout, "STORE_CERTIFICATE_RESPONSE", stopping, CapfCommand.StoreCertificateResponse);
        if (stored.Reason != CapfReason.UpdateCertificate)
        {
            await FailAsync(tls, plan, $"the phone did not store the LSC (reason {(byte?)stored.Reason ?? 255})", stopping);
            return;
        }

        await service.CompleteInstallAsync(plan, lsc, Actor, stopping);
        using var issued = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(lsc);
        await EndAsync(tls, CapfReason.UpdateCertificate, CapfSessionOutcome.Installed, "LSC issued", issued.SerialNumber, stopping);
    }

    private async Task FetchAsync(SslStream tls, CapfPlan plan, CancellationToken stopping)
    {
        await SendAsync(tls, CapfCodec.FetchCertificateRequest(sessionId), stopping);
        var answer = await ReadAsync(tls, options.ReadTimeout, "FETCH_CERTIFICATE_RESPONSE", stopping, CapfCommand.FetchCertificateResponse);
        ReadOnlyMemory<byte>? der = answer.Reason == CapfReason.UpdateCertificate && answer.Get(CapfElementTag.Certificate) is { } wrapped
            ? CapfCodec.UnwrapCertificate(wrapped)
            : (ReadOnlyMemory<byte>?)null;
        await service.CompleteFetchAsync(plan, der, Actor, stopping);
        await EndAsync(
            tls, CapfReason.NoAction, der is null ? CapfSessionOutcome.Failed : CapfSessionOutcome.Fetched,
            der is null ? "the phone returned no certificate" : "certificate recorded", null, stopping);
    }

    private async Task DeleteAsync(SslStream tls, CapfPlan plan, CancellationToken stopping)
    {
        await SendAsync(tls, CapfCodec.DeleteCertificateRequest(sessionId), stopping);
        var answer = await ReadAsync(tls, options.ReadTimeout, "DELETE_CERTIFICATE_RESPONSE", stopping, CapfCommand.DeleteCertificateResponse);
        var deleted = answer.Reason == CapfReason.UpdateCertificate;
        await service.CompleteDeleteAsync(plan, deleted, Actor, stopping);
        await EndAsync(
            tls, CapfReason.UpdateCertificate, deleted ? CapfSessionOutcome.Deleted : CapfSessionOutcome.Failed,
            deleted ? "LSC deleted" : "the phone reported no LSC to delete", null, stopping);
    }

    private async Task FailAsync(SslStream tls, CapfPlan plan, string reason, CancellationToken stopping)
    {
        await service.FailAsync(plan, reason, Actor, stopping);
        await EndAsync(tls, CapfReason.InvalidElement, CapfSessionOutcome.Failed, reason, null, stopping);
    }

    private async Task SendAsync(SslStream tls, byte[] message, CancellationToken stopping)
    {
        // Header and payload in one write: phones stall when a message arrives in two TLS records.
        using var timeout = new CancellationTokenSource(options.ReadTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
        try
        {
            await tls.WriteAsync(message, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            throw new TimeoutException("the phone did not read our message");
        }
    }

    /// <summary>The next message; it must be one of <paramref name="expected"/> and carry our session id.</summary>
    private async Task<CapfMessage> ReadAsync(
        SslStream tls, TimeSpan limit, string waitingFor, CancellationToken stopping, params CapfCommand[] expected)
    {
        // One deadline for the whole message: a client trickling a byte at a time cannot hold the slot forever.
        using var timeout = new CancellationTokenSource(limit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
        try
        {
            var got = await tls.ReadAtLeastAsync(_header, _header.Length, throwOnEndOfStream: false, linked.Token);
            if (got < _header.Length)
            {
                throw new CapfFormatException($"CAPF header truncated: {got} of {CapfHeader.Size} bytes before the phone closed (waiting for {waitingFor}).");
            }

            CapfHeader.TryRead(_header, out var header);
            if (Array.IndexOf(expected, header.Command) < 0)
            {
                throw new CapfFormatException($"CAPF command {(byte)header.Command} while waiting for {waitingFor}.");
            }

            if (header.SessionId != sessionId)
            {
                throw new CapfFormatException($"CAPF session id {header.SessionId} does not echo ours ({sessionId}).");
            }

            // Checked against the declared length before buffering, so a hostile length costs nothing.
            if (header.BodyLength > options.MaxMessageBytes)
            {
                throw new CapfFormatException($"CAPF body length {header.BodyLength} exceeds the limit of {options.MaxMessageBytes} bytes.");
            }

            var body = new byte[header.BodyLength];
            got = await tls.ReadAtLeastAsync(body, body.Length, throwOnEndOfStream: false, linked.Token);
            if (got < body.Length)
            {
                throw new CapfFormatException($"CAPF body truncated: {got} of {header.BodyLength} bytes before the phone closed.");
            }

            return CapfCodec.Read(header, body);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            throw new TimeoutException("waiting for " + waitingFor);
        }
    }

    private void Record(CapfSessionOutcome outcome, string? detail, string? serial)
    {
        if (_recorded)
        {
            return;
        }

        _recorded = true;
        counters.Ended(outcome);
        var device = _device is null ? null : LogText.Escape(_device, 64);
        sessions.Add(new CapfSessionRecord(
            time.GetUtcNow(), _remote, sessionId, device, _operation.ToString(), _authMode, outcome, detail, serial,
            Math.Round(time.GetElapsedTime(_started).TotalMilliseconds, 3)));
        if (logger.IsEnabled(LogLevel.Information))
        {
            var operation = _operation.ToString();
            var outcomeText = outcome.ToString();
            CapfLog.SessionEnded(logger, sessionId, _remote, device ?? "-", operation, _authMode, outcomeText, detail ?? "");
        }
    }
}
