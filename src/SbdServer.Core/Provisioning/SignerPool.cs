using System.Collections.Concurrent;
using System.Security.Cryptography;
using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Wire.Signed;

namespace SbdServer.Core.Provisioning;

/// <summary>
/// Ready signers per identity certificate, reused from one generated file to the next. Unsealing the key, importing
/// it and reading the certificate cost more than the RSA signature itself (23 % of the node's CPU against 12.5 % in
/// the cold phone farm's profile, docs/benchmarks.md), and a boot storm of new devices signs one config per phone.
/// </summary>
/// <remarks>
/// A signer is used by one build at a time (rented, then returned), so nothing relies on a key object being safe for
/// concurrent use. The pool of an identity is replaced, and its idle signers disposed, as soon as a build asks for
/// that identity with another certificate or key (regeneration, CSR import): a file is never signed with a key the
/// store no longer holds. The keys stay in memory as long as the node serves with them, as the TLS services' keys do.
/// </remarks>
internal sealed class SignerPool(IKeyProtector keys, IPhoneFileCrypto crypto) : IDisposable
{
    /// <summary>Idle signers kept per identity; builds beyond this at once create signers that are not kept.</summary>
    private static readonly int MaxIdle = Math.Max(2, Environment.ProcessorCount * 2);

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();
    private volatile bool _disposed;

    public T Sign<T>(IdentityCertificate identity, Func<IFileSigner, T> build)
    {
        var entry = EntryFor(identity);
        var signer = entry.Rent();
        try
        {
            return build(signer);
        }
        finally
        {
            entry.Return(signer);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var entry in _entries.Values)
        {
            entry.Dispose();
        }

        _entries.Clear();
    }

    private Entry EntryFor(IdentityCertificate identity)
    {
        while (true)
        {
            if (_entries.TryGetValue(identity.Id, out var current))
            {
                if (current.Matches(identity))
                {
                    return current;
                }

                var replacement = new Entry(identity, this);
                if (_entries.TryUpdate(identity.Id, replacement, current))
                {
                    current.Dispose();
                    return replacement;
                }

                continue; // another build replaced it first: look again
            }

            var added = new Entry(identity, this);
            if (_entries.TryAdd(identity.Id, added))
            {
                if (_disposed)
                {
                    added.Dispose();
                }

                return added;
            }
        }
    }

    private IFileSigner Create(byte[] der, byte[] protectedKey)
    {
        var key = keys.Unprotect(protectedKey);
        try
        {
            return crypto.CreateSigner(der, key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static void Release(IFileSigner signer) => (signer as IDisposable)?.Dispose();

    /// <summary>The signers of one certificate and key.</summary>
    private sealed class Entry(IdentityCertificate identity, SignerPool pool) : IDisposable
    {
        // Copies: the store's objects may be reloaded or changed while this entry lives.
        private readonly byte[] _der = [.. identity.Der];
        private readonly byte[] _protectedKey = [.. identity.ProtectedKey];
        private readonly ConcurrentBag<IFileSigner> _idle = [];
        private int _idleCount;
        private volatile bool _disposed;

        public bool Matches(IdentityCertificate other) =>
            _der.AsSpan().SequenceEqual(other.Der) && _protectedKey.AsSpan().SequenceEqual(other.ProtectedKey);

        public IFileSigner Rent()
        {
            if (_idle.TryTake(out var signer))
            {
                Interlocked.Decrement(ref _idleCount);
                return signer;
            }

            return pool.Create(_der, _protectedKey);
        }

        public void Return(IFileSigner signer)
        {
            if (_disposed || Interlocked.Increment(ref _idleCount) > MaxIdle)
            {
                Interlocked.Decrement(ref _idleCount);
                Release(signer);
                return;
            }

            _idle.Add(signer);
            if (_disposed)
            {
                Drain(); // disposed while this signer was being returned
            }
        }

        public void Dispose()
        {
            _disposed = true;
            Drain();
        }

        private void Drain()
        {
            while (_idle.TryTake(out var signer))
            {
                Interlocked.Decrement(ref _idleCount);
                Release(signer);
            }
        }
    }
}
