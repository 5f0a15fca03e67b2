namespace SbdServer.Core.Events;

/// <summary>
/// Raised after every committed change to the security state, in this process and (on PostgreSQL) for changes
/// other instances commit to the same database.
/// </summary>
public interface ICertificateStoreEvents
{
    /// <summary>Calls <paramref name="handler"/> for every later change until the result is disposed. Keep it quick.</summary>
    IDisposable Subscribe(Action<CertificateStoreChange> handler);
}
