using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using SbdServer.Core.Diagnostics;

namespace SbdServer.PhoneServices;

/// <summary>
/// Notices TLS handshakes that fail or time out on a Kestrel HTTPS endpoint, which Kestrel itself only reports at
/// Debug: <see cref="Outer"/> wraps the connection before <c>UseHttps</c>, <see cref="Inner"/> runs after a
/// completed handshake, and <see cref="HelloReceived"/> is called from the certificate callback (a ClientHello
/// arrived). A connection that ends without reaching <see cref="Inner"/> is one failure, counted and logged through
/// the listener's <see cref="PeerWarningLimiter"/>.
/// </summary>
internal sealed class TlsHandshakeWatch(
    TimeProvider time, TimeSpan handshakeTimeout, PeerWarningLimiter warnings, Action<string, string, string> log)
{
    public const string FailedKind = "handshake_failed";
    public const string TimeoutKind = "handshake_timeout";

    public Func<ConnectionDelegate, ConnectionDelegate> Outer => next => async context =>
    {
        var state = new State();
        context.Features.Set(state);
        var started = time.GetTimestamp();
        try
        {
            await next(context);
        }
        catch (Exception) when (!state.Completed)
        {
            // A handshake that throws (hostile hellos reach SslStream paths that fail with odd exceptions) is one
            // more failed handshake, reported below once and rate-limited, not Kestrel's multi-line error per peer.
        }
        finally
        {
            if (!state.Completed)
            {
                Report(context, state, time.GetElapsedTime(started));
            }
        }
    };

    public static Func<ConnectionDelegate, ConnectionDelegate> Inner => next => context =>
    {
        if (context.Features.Get<State>() is { } state)
        {
            state.Completed = true;
        }

        return next(context);
    };

    public static void HelloReceived(TlsHandshakeCallbackContext context)
    {
        if (context.Connection.Features.Get<State>() is { } state)
        {
            state.Hello = true;
        }
    }

    private void Report(ConnectionContext context, State state, TimeSpan elapsed)
    {
        var remote = (context.RemoteEndPoint as IPEndPoint)?.Address;
        if (remote is { IsIPv4MappedToIPv6: true })
        {
            remote = remote.MapToIPv4();
        }

        // Kestrel gives up at the handshake timeout; a little slack for the scheduling of its timer.
        var timedOut = elapsed >= handshakeTimeout - TimeSpan.FromMilliseconds(50);
        var kind = timedOut ? TimeoutKind : FailedKind;
        if (!warnings.ShouldLog(kind, remote))
        {
            return;
        }

        var reason = timedOut
            ? $"no completed handshake within {handshakeTimeout.TotalMilliseconds:0} ms"
            : state.Hello
                ? "refused after the ClientHello (protocol version or cipher suites not accepted, or the client aborted)"
                : "closed before a TLS ClientHello (not TLS, or the client gave up)";
        log(kind, remote?.ToString() ?? "?", reason);
    }

    private sealed class State
    {
        public volatile bool Hello;
        public volatile bool Completed;
    }
}
