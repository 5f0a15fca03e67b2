using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using SbdServer.Core.Devices;
using SbdServer.Core.Diagnostics;
using SbdServer.Listeners;

namespace SbdServer.Sip;

/// <summary>
/// One TLS connection to the secure SIP port: the handshake presents the node's CallManager certificate (what a
/// phone with an authenticated or encrypted profile checks against its CTL), then REGISTER requests are answered
/// until the phone closes or goes idle. A request that breaks SIP's framing closes the connection, logged once per
/// peer and window.
/// </summary>
internal sealed class SipConnection(
    ListenerConnection connection,
    SipOptions options,
    ServerCertificateReloader certificate,
    IDeviceStore devices,
    PeerWarningLimiter warnings,
    TimeProvider time,
    ILogger logger)
{
    private const int MaxRequestsPerConnection = 100;

    private static readonly byte[] EndOfHeaders = "\r\n\r\n"u8.ToArray();

    // RFC 3261 8.1.1: the headers every request carries and every response echoes.
    private static readonly string[] Mandatory = ["Via", "From", "To", "Call-ID", "CSeq"];

    private readonly IPAddress _remoteAddress = connection.Remote;
    private readonly string _remote = connection.Remote.ToString();

    /// <summary>Answers requests until the phone closes or goes quiet; the kit's token ends it on shutdown.</summary>
    public async Task RunAsync()
    {
        var stopping = connection.Closing;
        connection.Socket.NoDelay = true;
        await using var tls = new SslStream(connection.Stream, leaveInnerStreamOpen: false);
        try
        {
            if (!await HandshakeAsync(tls, stopping))
            {
                return;
            }

            for (var i = 0; i < MaxRequestsPerConnection; i++)
            {
                var block = await ReadHeaderBlockAsync(tls, stopping);
                if (block is null)
                {
                    return; // the phone closed the connection between requests
                }

                var request = SipRequest.Parse(block);
                await SkipBodyAsync(tls, request.ContentLength, stopping);
                var response = await AnswerAsync(request, stopping);
                await tls.WriteAsync(response, stopping);
            }
        }
        catch (FormatException ex)
        {
            if (warnings.ShouldLog("protocol", _remoteAddress))
            {
                SipLog.ProtocolViolation(logger, _remote, LogText.Escape(ex.Message));
            }
        }
        catch (TimeoutException)
        {
            // An idle phone: the connection ends, as CUCM's does when a registration's connection goes quiet.
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: the connection is dropped with the listener.
        }
        catch (IOException)
        {
            // The phone went away mid-request.
        }
        catch (Exception ex)
        {
            // A database failure: fail closed, no answer, the cause in the log only.
            SipLog.InternalError(logger, ex, _remote);
        }
    }

    private async Task<byte[]> AnswerAsync(SipRequest request, CancellationToken stopping)
    {
        var tag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var device = request.DeviceName();
        (int Code, string Reason, IEnumerable<(string, string)>? Extra) answer;
        if (request.Method != "REGISTER")
        {
            answer = (405, "Method Not Allowed", [("Allow", "REGISTER")]);
        }
        else if (Mandatory.FirstOrDefault(h => request.Header(h) is null) is { } missing)
        {
            answer = (400, "Bad Request (no " + missing + " header)", null);
        }
        else if (device is null)
        {
            answer = (404, "Not Found (no SEP<MAC> device in Contact or From)", null);
        }
        else if (await devices.FindAsync(device, stopping) is not { } known)
        {
            answer = (404, "Not Found", null);
        }
        else if (known.SecurityMode == DeviceSecurityMode.NonSecure)
        {
            // CUCM takes TLS registrations from authenticated and encrypted profiles only; a non-secure one uses 5060.
            answer = (403, "Forbidden (the device's security profile is non-secure)", null);
        }
        else
        {
            var expires = options.RegistrationSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            answer = (200, "OK",
            [
                ("Contact", (request.Header("Contact") ?? "") + ";expires=" + expires),
                ("Expires", expires),
                ("Date", time.GetUtcNow().ToString("r", System.Globalization.CultureInfo.InvariantCulture)),
            ]);
        }

        var deviceText = LogText.Escape(device ?? "-");
        SipLog.Answered(logger, request.Method, _remote, deviceText, answer.Code, answer.Reason);
        return request.Response(answer.Code, answer.Reason, tag, answer.Extra);
    }

    private async Task<bool> HandshakeAsync(SslStream tls, CancellationToken stopping)
    {
        var result = await certificate.AuthenticateAsync(tls, options.HandshakeTimeout, time, stopping);
        if (result.Outcome == TlsHandshakeOutcome.Failed && warnings.ShouldLog("handshake_failed", _remoteAddress))
        {
            SipLog.HandshakeFailed(logger, _remote, LogText.Escape(result.FailureReason));
        }

        return result.Completed;
    }

    /// <summary>The header block up to the blank line, or null when the peer closed before sending anything.</summary>
    private async Task<string?> ReadHeaderBlockAsync(SslStream tls, CancellationToken stopping)
    {
        using var timeout = new CancellationTokenSource(options.ReadTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
        var buffer = new byte[SipRequest.MaxHeaderBytes];
        var length = 0;
        try
        {
            // One byte at a time: the body (if any) starts right after the blank line and must not be consumed here.
            while (true)
            {
                if (length == buffer.Length)
                {
                    throw new FormatException($"the header block exceeds {SipRequest.MaxHeaderBytes} bytes");
                }

                var read = await tls.ReadAsync(buffer.AsMemory(length, 1), linked.Token);
                if (read == 0)
                {
                    return length == 0 ? null : throw new FormatException("the connection closed inside a request");
                }

                length++;

                // Keep-alive CRLFs between requests (RFC 5626 4.4.1) are not a request.
                if (length <= 2 && buffer[0] == '\r' && (length == 1 || buffer[1] == '\n'))
                {
                    if (length == 2)
                    {
                        length = 0;
                    }

                    continue;
                }

                if (length >= 4 && buffer.AsSpan(length - 4, 4).SequenceEqual(EndOfHeaders))
                {
                    return Encoding.UTF8.GetString(buffer, 0, length - 4);
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            throw new TimeoutException("no complete request in time");
        }
    }

    private async Task SkipBodyAsync(SslStream tls, int length, CancellationToken stopping)
    {
        if (length is < 0 or > SipRequest.MaxBodyBytes)
        {
            throw new FormatException($"Content-Length {length} is outside 0..{SipRequest.MaxBodyBytes}");
        }

        using var timeout = new CancellationTokenSource(options.ReadTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
        var buffer = new byte[Math.Max(length, 1)];
        try
        {
            await tls.ReadExactlyAsync(buffer.AsMemory(0, length), linked.Token);
        }
        catch (EndOfStreamException)
        {
            throw new FormatException("the connection closed inside a request body");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            throw new TimeoutException("no complete request body in time");
        }
    }
}
