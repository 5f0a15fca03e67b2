namespace SbdServer.Persistence.Stores;

/// <summary>The write lock of a provider that needs none beyond the caller's in-process lock (SQLite).</summary>
internal sealed class NoLock : IAsyncDisposable
{
    public static readonly NoLock Instance = new();

    private NoLock()
    {
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
