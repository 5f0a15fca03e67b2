using System.Globalization;
using System.Text;

namespace SbdServer.Core.Capf;

/// <summary>Monotonic CAPF counters for <c>/metrics</c> (prefix <c>sbd_capf_</c>); lock-free increments.</summary>
public sealed class CapfCounters
{
    private static readonly CapfSessionOutcome[] Outcomes = Enum.GetValues<CapfSessionOutcome>();

    private readonly long[] _sessions = new long[Outcomes.Length];
    private long _connectionsOpen;
    private long _rejectedMaxConnections;
    private long _rejectedPerIp;
    private long _handshakeFailures;
    private long _wrongAuthStrings;

    public long ConnectionsOpen => Interlocked.Read(ref _connectionsOpen);
    public long RejectedMaxConnections => Interlocked.Read(ref _rejectedMaxConnections);
    public long RejectedPerIp => Interlocked.Read(ref _rejectedPerIp);
    public long HandshakeFailures => Interlocked.Read(ref _handshakeFailures);

    /// <summary>Sessions refused because the authentication string was wrong.</summary>
    public long WrongAuthStrings => Interlocked.Read(ref _wrongAuthStrings);

    public long Sessions(CapfSessionOutcome outcome) => Interlocked.Read(ref _sessions[(int)outcome]);

    public void ConnectionOpened() => Interlocked.Increment(ref _connectionsOpen);

    public void ConnectionClosed() => Interlocked.Decrement(ref _connectionsOpen);

    public void RejectedForMaxConnections() => Interlocked.Increment(ref _rejectedMaxConnections);

    public void RejectedForPerIpLimit() => Interlocked.Increment(ref _rejectedPerIp);

    public void HandshakeFailed() => Interlocked.Increment(ref _handshakeFailures);

    public void WrongAuthString() => Interlocked.Increment(ref _wrongAuthStrings);

    public void Ended(CapfSessionOutcome outcome) => Interlocked.Increment(ref _sessions[(int)outcome]);

    public void WritePrometheus(StringBuilder output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Append("# HELP sbd_capf_sessions_total CAPF sessions, by outcome.\n# TYPE sbd_capf_sessions_total counter\n");
        foreach (var outcome in Outcomes)
        {
            Line(output, "sbd_capf_sessions_total", $"outcome=\"{outcome}\"", _sessions[(int)outcome]);
        }

        output.Append("# HELP sbd_capf_connections_open CAPF connections currently open.\n# TYPE sbd_capf_connections_open gauge\n");
        Line(output, "sbd_capf_connections_open", null, ConnectionsOpen);
        output.Append("# HELP sbd_capf_connections_rejected_total Connections refused by a limit.\n");
        output.Append("# TYPE sbd_capf_connections_rejected_total counter\n");
        Line(output, "sbd_capf_connections_rejected_total", "reason=\"max_connections\"", RejectedMaxConnections);
        Line(output, "sbd_capf_connections_rejected_total", "reason=\"per_ip\"", RejectedPerIp);
        output.Append("# HELP sbd_capf_handshake_failures_total TLS handshakes that failed.\n# TYPE sbd_capf_handshake_failures_total counter\n");
        Line(output, "sbd_capf_handshake_failures_total", null, HandshakeFailures);
        output.Append("# HELP sbd_capf_wrong_auth_strings_total Sessions refused for a wrong authentication string.\n");
        output.Append("# TYPE sbd_capf_wrong_auth_strings_total counter\n");
        Line(output, "sbd_capf_wrong_auth_strings_total", null, WrongAuthStrings);
    }

    private static void Line(StringBuilder output, string name, string? labels, long value)
    {
        output.Append(name);
        if (labels is not null)
        {
            output.Append('{').Append(labels).Append('}');
        }

        output.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }
}
