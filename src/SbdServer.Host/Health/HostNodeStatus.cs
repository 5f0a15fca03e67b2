using SbdServer.Admin.Status;
using SbdServer.Core.Tvs;
using SbdServer.PhoneServices;
using SbdServer.Tftp;
using SbdServer.Tftp.Diagnostics;
using SbdServer.Tftp.Http;
using SbdServer.Tvs;

namespace SbdServer.Host.Health;

/// <summary>The dashboard's view of this process: its listeners and the TFTP/TVS counters of /metrics.</summary>
internal sealed class HostNodeStatus(
    TftpServerService tftp, TvsHostedService tvs, PhoneServicesListener https, TftpMetrics tftpMetrics,
    TvsCounters tvsCounters, TftpHttpService? tftpHttp = null) : INodeStatus
{
    public IReadOnlyList<ListenerStatus> Listeners =>
    [
        Of("TFTP (UDP)", tftp.LocalEndPoint?.ToString()),
        Of("TFTP HTTP 6970", tftpHttp?.LocalEndPoint?.ToString()),
        Of("TVS (TLS)", tvs.Server?.LocalEndPoint.ToString()),
        Of("HTTPS (phone services, admin)", https.LocalEndPoint?.ToString()),
    ];

    public IReadOnlyList<KeyValuePair<string, long>> Counters =>
    [
        new("TFTP requests", tftpMetrics.Requests),
        new("TFTP transfers completed", tftpMetrics.TransfersCompleted),
        new("TFTP file not found", tftpMetrics.NotFound),
        new("TFTP timeouts", tftpMetrics.Timeouts),
        new("TFTP HTTP requests", tftpMetrics.HttpRequests),
        new("TVS connections", tvsCounters.ConnectionsAccepted),
        new("TVS open connections", tvsCounters.ConnectionsOpen),
        new("TVS handshake failures", tvsCounters.HandshakeFailures),
    ];

    private static ListenerStatus Of(string service, string? endPoint) =>
        new(service, endPoint is not null, endPoint ?? "not listening");
}
