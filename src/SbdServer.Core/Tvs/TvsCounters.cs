using System.Globalization;
using System.Text;
using SbdServer.Wire.Tvs;

namespace SbdServer.Core.Tvs;

/// <summary>
/// Monotonic TVS counters (plus the open-connection gauge) for the admin UI and <c>/metrics</c>. Lock-free
/// increments; <see cref="WritePrometheus"/> renders the Prometheus text exposition format.
/// </summary>
public sealed class TvsCounters
{
    private static readonly TvsOutcome[] Outcomes = Enum.GetValues<TvsOutcome>();

    private readonly long[] _verify = new long[Outcomes.Length];
    private readonly long[] _query = new long[Outcomes.Length];
    private long _connectionsAccepted;
    private long _connectionsOpen;
    private long _rejectedMaxConnections;
    private long _rejectedPerIp;
    private long _handshakeFailures;
    private long _handshakeTimeouts;
    private long _readTimeouts;
    private long _protocolViolations;
    private long _internalErrors;

    public long ConnectionsAccepted => Interlocked.Read(ref _connectionsAccepted);
    public long ConnectionsOpen => Interlocked.Read(ref _connectionsOpen);
    public long RejectedMaxConnections => Interlocked.Read(ref _rejectedMaxConnections);
    public long RejectedPerIp => Interlocked.Read(ref _rejectedPerIp);
    public long HandshakeFailures => Interlocked.Read(ref _handshakeFailures);
    public long HandshakeTimeouts => Interlocked.Read(ref _handshakeTimeouts);
    public long ReadTimeouts => Interlocked.Read(ref _readTimeouts);
    public long ProtocolViolations => Interlocked.Read(ref _protocolViolations);
    public long InternalErrors => Interlocked.Read(ref _internalErrors);

    public void ConnectionOpened()
    {
        Interlocked.Increment(ref _connectionsAccepted);
        Interlocked.Increment(ref _connectionsOpen);
    }

    public void ConnectionClosed() => Interlocked.Decrement(ref _connectionsOpen);

    public void RejectedForMaxConnections() => Interlocked.Increment(ref _rejectedMaxConnections);

    public void RejectedForPerIpLimit() => Interlocked.Increment(ref _rejectedPerIp);

    public void HandshakeFailed() => Interlocked.Increment(ref _handshakeFailures);

    public void HandshakeTimedOut() => Interlocked.Increment(ref _handshakeTimeouts);

    public void ReadTimedOut() => Interlocked.Increment(ref _readTimeouts);

    public void ProtocolViolation() => Interlocked.Increment(ref _protocolViolations);

    public void InternalError() => Interlocked.Increment(ref _internalErrors);

    public void Answered(TvsCommand command, TvsOutcome outcome)
    {
        var table = command is TvsCommand.QueryRequest or TvsCommand.QueryResponse ? _query : _verify;
        Interlocked.Increment(ref table[(int)outcome]);
    }

    /// <summary>Requests answered for one command (request or response command) and outcome.</summary>
    public long Requests(TvsCommand command, TvsOutcome outcome) =>
        Interlocked.Read(ref (command is TvsCommand.QueryRequest or TvsCommand.QueryResponse ? _query : _verify)[(int)outcome]);

    /// <summary>Appends the counters in Prometheus text format (metric prefix <c>sbd_tvs_</c>).</summary>
    public void WritePrometheus(StringBuilder output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Append("# HELP sbd_tvs_requests_total TVS requests answered, by command and outcome.\n");
        output.Append("# TYPE sbd_tvs_requests_total counter\n");
        foreach (var outcome in Outcomes)
        {
            Line(output, "sbd_tvs_requests_total", $"command=\"verify\",outcome=\"{Label(outcome)}\"", _verify[(int)outcome]);
            Line(output, "sbd_tvs_requests_total", $"command=\"query\",outcome=\"{Label(outcome)}\"", _query[(int)outcome]);
        }

        Counter(output, "sbd_tvs_connections_total", "TLS connections accepted.", ConnectionsAccepted);
        output.Append("# HELP sbd_tvs_connections_open TVS connections currently open.\n# TYPE sbd_tvs_connections_open gauge\n");
        Line(output, "sbd_tvs_connections_open", null, ConnectionsOpen);
        output.Append("# HELP sbd_tvs_connections_rejected_total Connections refused by a limit.\n");
        output.Append("# TYPE sbd_tvs_connections_rejected_total counter\n");
        Line(output, "sbd_tvs_connections_rejected_total", "reason=\"max_connections\"", RejectedMaxConnections);
        Line(output, "sbd_tvs_connections_rejected_total", "reason=\"per_ip\"", RejectedPerIp);
        Counter(output, "sbd_tvs_handshake_failures_total", "TLS handshakes that failed.", HandshakeFailures);
        Counter(output, "sbd_tvs_handshake_timeouts_total", "TLS handshakes that timed out.", HandshakeTimeouts);
        Counter(output, "sbd_tvs_read_timeouts_total", "Connections closed because the client went silent.", ReadTimeouts);
        Counter(output, "sbd_tvs_protocol_violations_total", "Connections closed for a protocol violation.", ProtocolViolations);
        Counter(output, "sbd_tvs_internal_errors_total", "Connections closed because answering failed.", InternalErrors);
    }

    private static string Label(TvsOutcome outcome) => outcome switch
    {
        TvsOutcome.Valid => "valid",
        TvsOutcome.Unknown => "unknown",
        TvsOutcome.Expired => "expired",
        TvsOutcome.NotYetValid => "not_yet_valid",
        TvsOutcome.NoPhoneRoles => "no_phone_roles",
        _ => "other",
    };

    private static void Counter(StringBuilder output, string name, string help, long value)
    {
        output.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        output.Append("# TYPE ").Append(name).Append(" counter\n");
        Line(output, name, null, value);
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
