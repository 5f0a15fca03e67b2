using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SbdServer.Core.Capf;

namespace SbdServer.Capf;

/// <summary>Runs the <see cref="CapfServer"/> for the lifetime of the host when CAPF is enabled and has a certificate.</summary>
public sealed class CapfHostedService(IServiceProvider services, IOptions<CapfOptions> options, ILogger<CapfHostedService> logger)
    : IHostedService, IAsyncDisposable
{
    private CapfServer? _server;

    /// <summary>The running server, or null when CAPF is disabled.</summary>
    public CapfServer? Server => _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        if (services.GetService<ICapfCertificateSource>() is null)
        {
            CapfLog.NoCertificateSource(logger);
            return;
        }

        _server = ActivatorUtilities.CreateInstance<CapfServer>(services);
        await _server.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
