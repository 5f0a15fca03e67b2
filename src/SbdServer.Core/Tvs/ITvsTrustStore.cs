namespace SbdServer.Core.Tvs;

/// <summary>The lookups TVS needs. Infrastructure failures throw; "not found" is null.</summary>
public interface ITvsTrustStore
{
    /// <summary>The entry whose certificate DER hashes to <paramref name="sha256Hex"/> (any case).</summary>
    ValueTask<TvsTrustEntry?> FindBySha256Async(string sha256Hex, CancellationToken cancellationToken);

    /// <summary>
    /// The entry with this issuer DN (either separator style, <c>;</c> or <c>,</c>) and serial (hex, any case,
    /// leading zero bytes ignored), as CUCM keys its TVS cache.
    /// </summary>
    ValueTask<TvsTrustEntry?> FindByIssuerAndSerialAsync(string issuerDn, string serialHex, CancellationToken cancellationToken);
}
