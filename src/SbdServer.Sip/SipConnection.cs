using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using SbdServer.Core.DeviceManagement;
using SbdServer.Core.Devices;
using SbdServer.Core.Diagnostics;
using SbdServer.Listeners;

namespace SbdServer.Sip;

/// <summary>
/// One TLS connection to the secure SIP port: the handshake presents the node's CallManager certificate (what a
/// phone with an authenticated or encrypted profile checks against its CTL) and asks for the phone's (its LSC or
/// MIC, which a secure device's REGISTER must present), then REGISTER requests are answered until the phone closes
/// or goes idle. A request that breaks SIP's framing closes the connection, logged once per
/// peer and window.
/// </summary>
internal sealed class SipConnection(
    ListenerConnection connection,
    SipOptions options,
    ServerCertificateReloader certificate,
    IDeviceStore devices,
    PhoneCertificateTrust phoneCertificates,
    PeerWarningLimiter warnings,
    TimeProvider time,
    ILogger logger)
{
    private const int MaxRequestsPerConnection = 100;

    // RFC 3261 10.3 step 7: a registrar may refuse lifetimes shorter than one it can keep up with (423).
    private const int MinExpiresSeconds = 60;

    private static readonly byte[] EndOfHeaders = "\r\n\r\n"u8.ToArray();

    private static readonly byte[] Pong = "\r\n"u8.ToArray();

    // RFC 3261 8.1.1: the headers every request carries and every response echoes.
    private static readonly string[] Mandatory = ["Via", "From", "To", "Call-ID", "CSeq"];

    private readonly IPAddress _remoteAddress = connection.Remote;
    private readonly string _remote = connection.Remote.ToString();

    // The certificate the phone presented in the handshake (its LSC or MIC), null when it presented none.
    private byte[]? _clientCertificate;

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

            _clientCertificate = tls.RemoteCertificate?.GetRawCertData();

            for (var i = 0; i < MaxRequestsPerConnection; i++)
            {
                var block = await ReadHeaderBlockAsync(tls, stopping);
                if (block is null)
                {
                    return; // the phone closed the connection between requests
                }

                var request = SipRequest.Parse(block);
                if (Unframed(request) is { } refusal)
                {
                    // The body's end, and with it the next request's start, is unknown: answer, then close.
                    var deviceText = LogText.Escape(request.DeviceName() ?? "-");
                    SipLog.Answered(logger, request.Method, _remote, deviceText, refusal.Code, refusal.Reason);
                    await tls.WriteAsync(request.Response(refusal.Code, refusal.Reason, NewTag()), stopping);
                    return;
                }

                await SkipBodyAsync(tls, request.ContentLength!.Value, stopping);
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

    private static (int Code, string Reason)? Unframed(SipRequest request) => request.ContentLength switch
    {
        null => (400, "Bad Request (Content-Length is not a byte count)"),
        > SipRequest.MaxBodyBytes => (413, "Request Entity Too Large"),
        _ => null,
    };

    private static string NewTag() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    private async Task<byte[]> AnswerAsync(SipRequest request, CancellationToken stopping)
    {
        var tag = NewTag();
        var device = request.DeviceName();
        (int Code, string Reason, IEnumerable<(string, string)>? Extra) answer;
        long? requested = null;
        string? expiresError = null;
        try
        {
            requested = request.RequestedExpires();
        }
        catch (FormatException ex)
        {
            expiresError = ex.Message;
        }

        var contact = request.ContactWithoutExpires();
        PhoneCertificateVerdict? verdict = null;
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
        else if (options.RequireClientCertificate
            && (verdict = await phoneCertificates.CheckAsync(known, _clientCertificate, stopping)) is { Trusted: false })
        {
            answer = (403, "Forbidden (" + verdict.Refusal + ")", null);
        }
        else if (expiresError is not null)
        {
            answer = (400, "Bad Request (" + expiresError + ")", null);
        }
        else if (contact == "*" && requested != 0)
        {
            // RFC 3261 10.2.2: removing every binding is "Contact: *" with "Expires: 0" and nothing else.
            answer = (400, "Bad Request (Contact * needs Expires 0)", null);
        }
        else if (requested is > 0 and < MinExpiresSeconds)
        {
            answer = (423, "Interval Too Brief", [("Min-Expires", MinExpiresSeconds.ToString(CultureInfo.InvariantCulture))]);
        }
        else
        {
            answer = (200, "OK", Registered(contact, requested));
        }

        var deviceText = LogText.Escape(device ?? "-");
        if (answer.Code == 200 && verdict is { Kind: { } kind })
        {
            var subject = LogText.Escape(verdict.Subject ?? "");
            SipLog.Authenticated(logger, deviceText, _remote, kind == PhoneCertificateKind.Lsc ? "LSC" : "MIC", subject);
        }

        SipLog.Answered(logger, request.Method, _remote, deviceText, answer.Code, answer.Reason);
        return request.Response(answer.Code, answer.Reason, tag, answer.Extra);
    }

    /// <summary>
    /// The 200's headers (RFC 3261 10.3 step 8): the binding with the lifetime granted, at most what the phone asked for
    /// and at most <c>Sip:RegistrationSeconds</c>; none for a de-registration (expires 0) or a query (no Contact).
    /// </summary>
    private List<(string, string)> Registered(string? contact, long? requested)
    {
        var headers = new List<(string, string)>();
        if (contact is not null && contact != "*" && requested != 0)
        {
            var granted = Math.Min(requested ?? options.RegistrationSeconds, options.RegistrationSeconds).ToString(CultureInfo.InvariantCulture);
            headers.Add(("Contact", contact + ";expires=" + granted));
            headers.Add(("Expires", granted));
        }

        headers.Add(("Date", time.GetUtcNow().ToString("r", CultureInfo.InvariantCulture)));
        return headers;
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
        var crlfs = 0;
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

                // Keep-alive CRLFs between requests are not a request; a double CRLF is a ping that gets a CRLF pong
                // (RFC 5626 4.4.1), which is how a phone on a long-lived TLS connection checks its registrar is there.
                if (length <= 2 && buffer[0] == '\r' && (length == 1 || buffer[1] == '\n'))
                {
                    if (length == 2)
                    {
                        length = 0;
                        if (++crlfs == 2)
                        {
                            crlfs = 0;
                            await tls.WriteAsync(Pong, linked.Token);

                            // A ping is the phone keeping its connection: the wait for a request starts over.
                            timeout.CancelAfter(options.ReadTimeout);
                        }
                    }

                    continue;
                }

                crlfs = 0;

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
