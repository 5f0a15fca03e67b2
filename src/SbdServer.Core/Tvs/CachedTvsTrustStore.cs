using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Wire.Itl;

namespace SbdServer.Core.Tvs;

/// <summary>
/// The TVS trust store: an immutable in-memory index (by SHA-256 and by issuer + serial) built from an
/// <see cref="ITvsTrustSource"/>, rebuilt on the first lookup after the source signals a change. Lookups between
/// changes cost two dictionary reads and no I/O.
/// </summary>
public sealed class CachedTvsTrustStore : ITvsTrustStore, IDisposable
{
    /// <summary>CUCM's default TTL: one day.</summary>
    public const uint DefaultTtlSeconds = 86_400;

    private readonly ITvsTrustSource _source;
    private readonly uint _defaultTtlSeconds;
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private int _version;
    private Snapshot? _snapshot;

    public CachedTvsTrustStore(ITvsTrustSource source, uint defaultTtlSeconds = DefaultTtlSeconds)
    {
        _source = source;
        _defaultTtlSeconds = defaultTtlSeconds;
        _source.Changed += OnSourceChanged;
    }

    /// <summary>Certificates of the last load that were not parseable X.509 and are therefore never trusted.</summary>
    public int SkippedCertificates => Volatile.Read(ref _snapshot)?.Skipped ?? 0;

    /// <summary>Distinct certificates in the last load.</summary>
    public int Count => Volatile.Read(ref _snapshot)?.BySha256.Count ?? 0;

    public async ValueTask<TvsTrustEntry?> FindBySha256Async(string sha256Hex, CancellationToken cancellationToken)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken);
        return snapshot.BySha256.GetValueOrDefault(sha256Hex);
    }

    public async ValueTask<TvsTrustEntry?> FindByIssuerAndSerialAsync(
        string issuerDn, string serialHex, CancellationToken cancellationToken)
    {
        string serial;
        try
        {
            serial = TvsLookupKey.NormalizeSerialHex(serialHex);
        }
        catch (FormatException)
        {
            return null;
        }

        var snapshot = await GetSnapshotAsync(cancellationToken);
        return snapshot.ByIssuerSerial.GetValueOrDefault(Key(serial, TvsLookupKey.NormalizeDn(issuerDn)))
            ?? snapshot.ByIssuerSerial.GetValueOrDefault(Key(serial, TvsLookupKey.NormalizeDnReversed(issuerDn)));
    }

    public void Dispose()
    {
        _source.Changed -= OnSourceChanged;
        _reloadLock.Dispose();
    }

    private static string Key(string serial, string issuer) => serial + "/" + issuer;

    private void OnSourceChanged(object? sender, EventArgs e) => Interlocked.Increment(ref _version);

    private ValueTask<Snapshot> GetSnapshotAsync(CancellationToken cancellationToken)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        return snapshot is not null && snapshot.Version == Volatile.Read(ref _version)
            ? ValueTask.FromResult(snapshot)
            : ReloadAsync(cancellationToken);
    }

    private async ValueTask<Snapshot> ReloadAsync(CancellationToken cancellationToken)
    {
        await _reloadLock.WaitAsync(cancellationToken);
        try
        {
            // Read the version before loading: a change that lands during the load bumps it again, and the
            // snapshot built here is then already stale and reloaded by the next lookup.
            var version = Volatile.Read(ref _version);
            var current = _snapshot;
            if (current is not null && current.Version == version)
            {
                return current;
            }

            var certificates = await _source.LoadAsync(cancellationToken);
            var snapshot = Build(certificates, version);
            Volatile.Write(ref _snapshot, snapshot);
            return snapshot;
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    private Snapshot Build(IReadOnlyList<TvsTrustCertificate> certificates, int version)
    {
        var builders = new Dictionary<string, EntryBuilder>(StringComparer.OrdinalIgnoreCase);
        var skipped = 0;
        foreach (var item in certificates)
        {
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(item.CertificateDer.Span));
            if (!builders.TryGetValue(sha256, out var builder))
            {
                try
                {
                    using var certificate = X509CertificateLoader.LoadCertificate(item.CertificateDer.Span);
                    builder = new EntryBuilder(item.CertificateDer, sha256, certificate);
                }
                catch (CryptographicException)
                {
                    skipped++;
                    continue;
                }

                builders.Add(sha256, builder);
            }

            builder.Add(item);
        }

        var bySha = new Dictionary<string, TvsTrustEntry>(StringComparer.OrdinalIgnoreCase);
        var byIssuerSerial = new Dictionary<string, TvsTrustEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (var (sha256, builder) in builders)
        {
            var entry = builder.Build(_defaultTtlSeconds);
            bySha.Add(sha256, entry);
            var key = Key(TvsLookupKey.NormalizeSerialHex(entry.SerialHex), TvsLookupKey.NormalizeDn(entry.Issuer));

            // Two certificates with one issuer + serial only happen with careless self-signed re-issues; prefer the
            // one that lasts longest, which is the newer one.
            if (!byIssuerSerial.TryGetValue(key, out var other) || other.NotAfter < entry.NotAfter)
            {
                byIssuerSerial[key] = entry;
            }
        }

        return new Snapshot(version, bySha, byIssuerSerial, skipped);
    }

    private sealed record Snapshot(
        int Version,
        Dictionary<string, TvsTrustEntry> BySha256,
        Dictionary<string, TvsTrustEntry> ByIssuerSerial,
        int Skipped);

    private sealed class EntryBuilder(ReadOnlyMemory<byte> der, string sha256, X509Certificate2 certificate)
    {
        private readonly string _subject = certificate.SubjectName.Name;
        private readonly string _issuer = certificate.IssuerName.Name;
        private readonly string _serial = certificate.SerialNumber;
        private readonly DateTimeOffset _notBefore = new(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        private readonly DateTimeOffset _notAfter = new(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        private readonly List<TrustRole> _roles = [];
        private readonly List<string> _stores = [];
        private uint? _ttl;

        public void Add(TvsTrustCertificate item)
        {
            _stores.Add(item.Store);
            foreach (var role in item.Roles ?? StoreRoles.For(item.Store))
            {
                if (!_roles.Contains(role))
                {
                    _roles.Add(role);
                }
            }

            if (item.TtlSeconds is { } ttl)
            {
                _ttl = _ttl is { } existing ? Math.Min(existing, ttl) : ttl;
            }
        }

        public TvsTrustEntry Build(uint defaultTtl) => new(
            der, sha256, _subject, _issuer, _serial, _notBefore, _notAfter, _roles.ToArray(), _ttl ?? defaultTtl,
            _stores.ToArray());
    }
}
