using SbdServer.Core.Events;
using SbdServer.Core.Storage;

namespace SbdServer.Core.Tvs;

/// <summary>
/// Feeds TVS from the certificate store: every node's identity certificates and every trust-store certificate, each
/// with the roles of its store. Any committed change (in this process or, on PostgreSQL, another node) invalidates
/// the TVS cache, so an upload is answered on the next request without a restart.
/// </summary>
public sealed class SecurityStoreTvsTrustSource : ITvsTrustSource, IDisposable
{
    private readonly ISecurityStore _store;
    private readonly IDisposable _subscription;

    public SecurityStoreTvsTrustSource(ISecurityStore store, ICertificateStoreEvents events)
    {
        _store = store;
        _subscription = events.Subscribe(_ => Changed?.Invoke(this, EventArgs.Empty));
    }

    public event EventHandler? Changed;

    public async ValueTask<IReadOnlyList<TvsTrustCertificate>> LoadAsync(CancellationToken cancellationToken)
    {
        var snapshot = await _store.LoadAsync(cancellationToken);
        var certificates = new List<TvsTrustCertificate>(snapshot.Identities.Count + snapshot.TrustCertificates.Count);
        certificates.AddRange(snapshot.Identities.Select(c => new TvsTrustCertificate(c.Name, c.Der)));
        certificates.AddRange(snapshot.TrustCertificates.Select(c => new TvsTrustCertificate(c.Store, c.Der)));
        return certificates;
    }

    public void Dispose() => _subscription.Dispose();
}
