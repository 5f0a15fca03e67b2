using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SbdServer.Core.Tvs;

namespace SbdServer.Tvs;

/// <summary>Runs the <see cref="TvsServer"/> for the lifetime of the host when TVS is enabled and has a certificate.</summary>
public sealed class TvsHostedService(IServiceProvider services, IOptions<TvsOptions> options, ILogger<TvsHostedService> logger)
    : IHostedService, IAsyncDisposable
{
    private TvsServer? _server;

    /// <summary>The running server, or null when TVS is disabled.</summary>
    public TvsServer? Server => _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        if (services.GetService<ITvsCertificateSource>() is null)
        {
            TvsLog.NoCertificateSource(logger);
            return;
        }

        _server = ActivatorUtilities.CreateInstance<TvsServer>(services);
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
