using System.Collections.Immutable;

namespace SbdServer.Core.Events;

/// <summary>In-process fan-out of <see cref="CertificateStoreChange"/>; the store publishes after each commit.</summary>
public sealed class CertificateStoreEventHub : ICertificateStoreEvents
{
    private ImmutableList<Action<CertificateStoreChange>> _handlers = [];

    /// <summary>Identifies this process in changes it publishes, so a cross-process echo can be ignored.</summary>
    public Guid InstanceId { get; } = Guid.NewGuid();

    public IDisposable Subscribe(Action<CertificateStoreChange> handler)
    {
        ImmutableInterlocked.Update(ref _handlers, list => list.Add(handler));
        return new Subscription(this, handler);
    }

    /// <summary>Delivers <paramref name="change"/> to every subscriber; a failing subscriber does not stop the others.</summary>
    public void Publish(CertificateStoreChange change)
    {
        List<Exception>? failures = null;
        foreach (var handler in _handlers)
        {
            try
            {
                handler(change);
            }
            catch (Exception ex)
            {
                (failures ??= []).Add(ex);
            }
        }

        if (failures is not null)
        {
            throw new AggregateException("A certificate store subscriber failed.", failures);
        }
    }

    private sealed class Subscription(CertificateStoreEventHub hub, Action<CertificateStoreChange> handler) : IDisposable
    {
        public void Dispose() => ImmutableInterlocked.Update(ref hub._handlers, list => list.Remove(handler));
    }
}
