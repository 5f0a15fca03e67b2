using OpenTelemetry.Metrics;
using SbdServer.Core.Capf;
using SbdServer.Core.Diagnostics;
using SbdServer.Core.Tvs;
using SbdServer.Tftp.Diagnostics;

namespace SbdServer.Host.Composition;

/// <summary>
/// <c>GET /metrics</c>: the TFTP, TVS and CAPF counters and every listener's peer-warning counters, published on
/// <see cref="System.Diagnostics.Metrics"/> meters and written by OpenTelemetry's Prometheus exporter
/// (docs/adr/0007-metrics-through-opentelemetry.md). Like every route but <c>/health</c> it needs the admin credentials
/// (Prometheus sends them as a bearer token or basic auth).
/// </summary>
internal static class MetricsRegistration
{
    private static readonly string[] Meters = [TftpMetrics.MeterName, TvsCounters.MeterName, CapfCounters.MeterName, PeerWarnings.MeterName];

    public static WebApplicationBuilder AddSbdMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(Meters)
            .AddPrometheusExporter(exporter =>
            {
                // Every scrape reads the counters afresh, as the hand-written endpoint did; a cached answer would make
                // a scrape right after an event miss it.
                exporter.ScrapeResponseCacheDurationMilliseconds = 0;
            }));
        return builder;
    }

    public static WebApplication MapSbdMetrics(this WebApplication app)
    {
        // The instruments exist once their owner does: create them all now, so a listener that is off (TVS disabled)
        // still shows its zeros instead of missing series.
        _ = app.Services.GetRequiredService<TftpMetrics>();
        _ = app.Services.GetRequiredService<TvsCounters>();
        _ = app.Services.GetRequiredService<CapfCounters>();
        _ = app.Services.GetRequiredService<PeerWarnings>();
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
