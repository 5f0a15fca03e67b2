namespace SbdServer.Testing;

/// <summary>
/// Assembly fixture that stops the shared <see cref="PostgresServer"/> after the last test, before the runner's exit
/// check. Register with <c>[assembly: AssemblyFixture(typeof(PostgresServerLifetime))]</c>.
/// </summary>
public sealed class PostgresServerLifetime : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await PostgresServer.StopSharedAsync();
}
