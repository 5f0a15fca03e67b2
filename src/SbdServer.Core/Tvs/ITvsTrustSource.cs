namespace SbdServer.Core.Tvs;

/// <summary>
/// Where the TVS trust store gets its certificates: the database (all nodes' identity certificates and trust
/// stores, plus the current CTL in mixed mode) or, in tests and single-node setups, <see cref="InMemoryTvsTrustSource"/>.
/// </summary>
public interface ITvsTrustSource
{
    /// <summary>Raised after any change; the cache reloads on the next lookup.</summary>
    event EventHandler? Changed;

    /// <summary>Every certificate of every store.</summary>
    ValueTask<IReadOnlyList<TvsTrustCertificate>> LoadAsync(CancellationToken cancellationToken);
}
