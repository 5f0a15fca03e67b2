using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SbdServer.Listeners;

/// <summary>A listener the host starts and stops (<see cref="ListenerHostedService{TServer}"/>).</summary>
public interface IListenerServer : IAsyncDisposable
{
    /// <summary>Loads the certificate (a broken one stops startup), binds, and starts accepting.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops accepting, closes open connections, and waits for them.</summary>
    Task StopAsync();
}

/// <summary>
/// Runs a <typeparamref name="TServer"/> for the lifetime of the host when it is enabled and has a certificate
/// source; otherwise says why it does not run (<see cref="OnNoCertificateSource"/>) and stays out of the way.
/// </summary>
public abstract class ListenerHostedService<TServer>(IServiceProvider services) : IHostedService, IAsyncDisposable
    where TServer : class, IListenerServer
{
    private TServer? _server;

    /// <summary>The running server, or null when disabled.</summary>
    public TServer? Server => _server;

    protected abstract bool Enabled { get; }

    protected abstract bool HasCertificateSource(IServiceProvider services);

    protected abstract void OnNoCertificateSource();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return;
        }

        if (!HasCertificateSource(services))
        {
            OnNoCertificateSource();
            return;
        }

        _server = ActivatorUtilities.CreateInstance<TServer>(services);
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

        GC.SuppressFinalize(this);
    }
}
