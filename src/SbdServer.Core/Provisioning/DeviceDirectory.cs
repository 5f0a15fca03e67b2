using SbdServer.Core.Devices;
using SbdServer.Core.Errors;
using SbdServer.Core.Tftp;
using SbdServer.Wire.Names;

namespace SbdServer.Core.Provisioning;

/// <summary>
/// Finding devices among many: the admin UI's device list and the dashboard's ITL counts, computed by the database
/// against the ITL this node serves now.
/// </summary>
public sealed class DeviceDirectory(IDeviceSearch search, GeneratedFileCatalogue catalogue)
{
    public const int DefaultPageSize = 50;

    public const int MaxPageSize = 200;

    /// <summary>Longer than any device name or description worth typing; longer text is refused, not cut.</summary>
    public const int MaxTextLength = 64;

    public async Task<DevicePage> SearchAsync(string? text, TrustFileState? itlState, int offset, int limit, CancellationToken cancellationToken)
    {
        var trimmed = text?.Trim();
        if (trimmed is { Length: > MaxTextLength })
        {
            throw new InvalidInputException($"The search text has {trimmed.Length} characters; the limit is {MaxTextLength}.");
        }

        if (trimmed is not null && trimmed.Any(char.IsControl))
        {
            throw new InvalidInputException("The search text must not contain control characters.");
        }

        var query = new DeviceQuery(
            string.IsNullOrEmpty(trimmed) ? null : trimmed,
            itlState,
            Math.Max(0, offset),
            limit <= 0 ? DefaultPageSize : Math.Min(limit, MaxPageSize));
        return await search.SearchAsync(query, await CurrentItlAsync(cancellationToken), cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, TrustFileState>> ItlStatesAsync(CancellationToken cancellationToken) =>
        await search.ItlStatesAsync(await CurrentItlAsync(cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<DevicePlanRow>> PlanRowsAsync(CancellationToken cancellationToken) =>
        await search.PlanRowsAsync(await CurrentItlAsync(cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<PopulationCount>> CountPopulationsAsync(CancellationToken cancellationToken) =>
        await search.CountPopulationsAsync(await CurrentItlAsync(cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<DevicePlanRow>> PlanRowsAsync(
        IReadOnlyCollection<DevicePopulation> populations, int limit, CancellationToken cancellationToken) =>
        await search.PlanRowsAsync(await CurrentItlAsync(cancellationToken), populations, limit, cancellationToken);

    public async Task<IReadOnlyDictionary<TrustFileState, int>> CountByItlStateAsync(CancellationToken cancellationToken) =>
        await search.CountByItlStateAsync(await CurrentItlAsync(cancellationToken), cancellationToken);

    // Every device is served the cluster ITL under its own name (the catalogue caches them as one file), so one hash
    // pair stands for all of them.
    private async Task<TftpFileHashes?> CurrentItlAsync(CancellationToken cancellationToken) =>
        (await catalogue.GetAsync(PhoneFileName.ClusterItlName, null, cancellationToken))?.Hashes;
}
