using System.Net;
using SbdServer.Wire.Names;

namespace SbdServer.Core.Tftp;

/// <summary>
/// The file catalogue behind TFTP and HTTP 6970: normalises the name, asks every source in order (generated, static
/// root, alternate locations), then applies CUCM's per-device fallbacks (ITLSEP&lt;MAC&gt; -> ITLFile.tlv,
/// CTLSEP&lt;MAC&gt; -> CTLFile.tlv) through the same chain.
/// </summary>
/// <remarks>
/// The exact name goes through the whole chain, alternates included, before the fallback is tried: on a central
/// TFTP node a device of another cluster must get its own cluster's ITL from the alternate location, never this
/// node's cluster ITL.
/// </remarks>
public sealed class TftpCatalogue
{
    private readonly ITftpFileSource[] _sources;

    public TftpCatalogue(IEnumerable<ITftpFileSource> sources)
    {
        _sources = [.. sources.OrderBy(s => s.Order)];
    }

    /// <summary>The sources in lookup order.</summary>
    public IReadOnlyList<ITftpFileSource> Sources => _sources;

    /// <summary>Looks up <paramref name="requestedName"/> as sent by the client.</summary>
    public async ValueTask<TftpLookupResult> OpenAsync(
        string requestedName, IPAddress client, TftpChannel channel, CancellationToken cancellationToken)
    {
        if (!TftpFileName.TryNormalize(requestedName, out var name))
        {
            return TftpLookupResult.InvalidName;
        }

        var content = await OpenExactAsync(new TftpFileRequest(name, client, channel), cancellationToken);
        if (content is not null)
        {
            return new TftpLookupResult(TftpLookupStatus.Found, name, content);
        }

        var fallback = PhoneFileName.ClusterFallbackFor(name);
        if (fallback is not null)
        {
            content = await OpenExactAsync(new TftpFileRequest(fallback, client, channel), cancellationToken);
            if (content is not null)
            {
                return new TftpLookupResult(TftpLookupStatus.Found, fallback, content);
            }
        }

        return TftpLookupResult.NotFound;
    }

    private async ValueTask<TftpFileContent?> OpenExactAsync(TftpFileRequest request, CancellationToken cancellationToken)
    {
        foreach (var source in _sources)
        {
            var content = await source.TryOpenAsync(request, cancellationToken);
            if (content is not null)
            {
                return content;
            }
        }

        return null;
    }
}
