using System.Globalization;
using System.Text;
using SbdServer.Core.Capf;
using SbdServer.Core.Diagnostics;
using SbdServer.Core.Tvs;
using SbdServer.Tftp.Diagnostics;

namespace SbdServer.Host.Composition;

/// <summary>
/// <c>GET /metrics</c>: the TFTP and TVS counters and every listener's peer-warning counters in Prometheus text format. Like every route but <c>/health</c> it
/// needs the admin credentials (Prometheus sends them as a bearer token or basic auth).
/// </summary>
internal static class MetricsRegistration
{
    public static WebApplication MapSbdMetrics(this WebApplication app)
    {
        app.MapGet("/metrics", (TftpMetrics tftp, TvsCounters tvs, PeerWarnings warnings, CapfCounters capf) =>
        {
            using var writer = new StringWriter(CultureInfo.InvariantCulture);
            tftp.WritePrometheus(writer);
            var text = new StringBuilder(writer.ToString());
            tvs.WritePrometheus(text);
            warnings.WritePrometheus(text);
            capf.WritePrometheus(text);
            return Results.Text(text.ToString(), "text/plain; version=0.0.4; charset=utf-8");
        });
        return app;
    }
}
