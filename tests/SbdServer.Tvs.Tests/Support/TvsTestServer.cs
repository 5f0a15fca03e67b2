using Microsoft.Extensions.Options;
using SbdServer.Core.Diagnostics;
using SbdServer.Core.Tvs;
using SbdServer.Testing;

namespace SbdServer.Tvs.Tests.Support;

/// <summary>A real <see cref="TvsServer"/> on a loopback port with in-memory sources that tests can change.</summary>
internal sealed class TvsTestServer : IAsyncDisposable
{
    private TvsTestServer(TvsServer server, TvsOptions options)
    {
        Server = server;
        Options = options;
    }

    public TvsServer Server { get; }

    public TvsOptions Options { get; }

    public InMemoryTvsTrustSource Trust { get; private init; } = null!;

    public InMemoryTvsCertificateSource Certificates { get; private init; } = null!;

    public CollectingLogger<TvsServer> Logs { get; private init; } = null!;

    public TvsQueryLog QueryLog { get; private init; } = null!;

    public TvsCounters Counters { get; private init; } = null!;

    public PeerWarnings Warnings { get; private init; } = null!;

    public int Port => Server.LocalEndPoint.Port;

    public static async Task<TvsTestServer> StartAsync(Action<TvsOptions>? configure = null)
    {
        var options = new TvsOptions
        {
            Address = "127.0.0.1",
            Port = 0,
            HandshakeTimeout = TimeSpan.FromSeconds(5),
            ReadTimeout = TimeSpan.FromSeconds(5),
        };
        configure?.Invoke(options);
        var trust = new InMemoryTvsTrustSource();
        var certificates = new InMemoryTvsCertificateSource(TestPki.Tvs);
        var logs = new CollectingLogger<TvsServer>();
        var queryLog = new TvsQueryLog(options.QueryLogCapacity);
        var counters = new TvsCounters();
        var warnings = new PeerWarnings(TimeProvider.System);
        var store = new CachedTvsTrustStore(trust, options.DefaultTtlSeconds);
        var server = new TvsServer(
            Microsoft.Extensions.Options.Options.Create(options),
            certificates,
            new TvsRequestHandler(store, TimeProvider.System),
            queryLog,
            counters,
            TimeProvider.System,
            logs,
            warnings);
        await server.StartAsync(CancellationToken.None);
        return new TvsTestServer(server, options)
        {
            Trust = trust,
            Certificates = certificates,
            Logs = logs,
            QueryLog = queryLog,
            Counters = counters,
            Warnings = warnings,
        };
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
