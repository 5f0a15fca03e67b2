using System.Security.Cryptography;

namespace SbdServer.Core.Tvs;

/// <summary>
/// A trust source held in memory: what tests and a database-less node use, and what a database-backed feeder can
/// push into (<see cref="ReplaceAll"/> on every certificate-store change event).
/// </summary>
public sealed class InMemoryTvsTrustSource : ITvsTrustSource
{
    private readonly Lock _lock = new();
    private List<TvsTrustCertificate> _items = [];

    public event EventHandler? Changed;

    /// <summary>Adds a certificate (DER) to a store.</summary>
    public void Add(string store, ReadOnlyMemory<byte> certificateDer, uint? ttlSeconds = null) =>
        Add(new TvsTrustCertificate(store, certificateDer.ToArray(), null, ttlSeconds));

    public void Add(TvsTrustCertificate certificate)
    {
        lock (_lock)
        {
            _items = [.. _items, certificate];
        }

        Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Removes a certificate from one store; true when something was removed.</summary>
    public bool Remove(string store, ReadOnlySpan<byte> certificateDer)
    {
        var sha = SHA256.HashData(certificateDer);
        int removed;
        lock (_lock)
        {
            var kept = _items.Where(i => !(string.Equals(i.Store, store, StringComparison.OrdinalIgnoreCase)
                && SHA256.HashData(i.CertificateDer.Span).AsSpan().SequenceEqual(sha))).ToList();
            removed = _items.Count - kept.Count;
            _items = kept;
        }

        if (removed > 0)
        {
            Changed?.Invoke(this, EventArgs.Empty);
        }

        return removed > 0;
    }

    /// <summary>Replaces the whole content at once (a feeder reloading from the database).</summary>
    public void ReplaceAll(IEnumerable<TvsTrustCertificate> certificates)
    {
        var items = certificates.ToList();
        lock (_lock)
        {
            _items = items;
        }

        Changed?.Invoke(this, EventArgs.Empty);
    }

    public ValueTask<IReadOnlyList<TvsTrustCertificate>> LoadAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<TvsTrustCertificate>>(_items);
        }
    }
}
