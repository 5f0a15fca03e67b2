using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SbdServer.Tftp.Diagnostics;
using SbdServer.Tftp.Http;
using Xunit;

namespace SbdServer.Tftp.Tests.Infrastructure;

/// <summary>A real host running the TFTP services on loopback with port 0 (free ports), as the product composes them.</summary>
internal sealed class TftpTestServer : IAsyncDisposable
{
    private readonly IHost _host;

    private TftpTestServer(IHost host, CapturingLoggerProvider logs)
    {
        _host = host;
        Logs = logs;
        Server = host.Services.GetRequiredService<TftpServerService>();
        Metrics = host.Services.GetRequiredService<TftpMetrics>();
        Http = host.Services.GetService<TftpHttpService>();
    }

    public TftpServerService Server { get; }

    public TftpMetrics Metrics { get; }

    public TftpHttpService? Http { get; }

    public CapturingLoggerProvider Logs { get; }

    public int Port => Server.LocalEndPoint!.Port;

    public int HttpPort => Http!.LocalEndPoint!.Port;

    public IPEndPoint V4 => new(IPAddress.Loopback, Port);

    public IPEndPoint V6 => new(IPAddress.IPv6Loopback, Port);

    public IServiceProvider Services => _host.Services;

    /// <summary>Defaults for tests: all loopback addresses, free ports, no per-client limits (every test client is 127.0.0.1).</summary>
    public static Dictionary<string, string?> DefaultSettings() => new()
    {
        ["Tftp:Address"] = "::",
        ["Tftp:Port"] = "0",
        ["Tftp:HttpPort"] = "0",
        ["Tftp:MaxSessionsPerClient"] = "0",
        ["Tftp:MaxRequestsPerSecondPerClient"] = "0",
        ["Tftp:MaxSessions"] = "5000",
    };

    public static async Task<TftpTestServer> StartAsync(
        Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? services = null)
    {
        var settings = DefaultSettings();
        configure?.Invoke(settings);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        var logs = new CapturingLoggerProvider();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Services.AddSbdTftpServer(builder.Configuration);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        try
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new TftpTestServer(host, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
