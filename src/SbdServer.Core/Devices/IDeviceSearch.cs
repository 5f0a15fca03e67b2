using SbdServer.Core.Tftp;

namespace SbdServer.Core.Devices;

/// <summary>
/// The device list as the admin UI pages it: filtered, counted and paged in the database, so a fleet of 10 000 phones
/// never loads into memory per request. The ITL state follows the same rule as <c>DeviceTrustInventory</c> (served
/// record, then the phone's newer report), evaluated against <c>currentItl</c>, the ITL every device is served now.
/// </summary>
public interface IDeviceSearch
{
    Task<DevicePage> SearchAsync(DeviceQuery query, TftpFileHashes? currentItl, CancellationToken cancellationToken);

    /// <summary>Every device's ITL state by name, for the change planner (one row per device, nothing else).</summary>
    Task<IReadOnlyDictionary<string, TrustFileState>> ItlStatesAsync(TftpFileHashes? currentItl, CancellationToken cancellationToken);

    /// <summary>Every device's name, model, CallManager group and ITL state, in one query (the change planner's input).</summary>
    Task<IReadOnlyList<DevicePlanRow>> PlanRowsAsync(TftpFileHashes? currentItl, CancellationToken cancellationToken);

    /// <summary>
    /// How many devices share each (CallManager group, model, ITL state, security mode): everything the change planner
    /// decides by, counted by the database so an impact page plans once per population instead of reading every device.
    /// </summary>
    Task<IReadOnlyList<PopulationCount>> CountPopulationsAsync(TftpFileHashes? currentItl, CancellationToken cancellationToken);

    /// <summary>The first <paramref name="limit"/> devices, by name, of any of <paramref name="populations"/>.</summary>
    Task<IReadOnlyList<DevicePlanRow>> PlanRowsAsync(
        TftpFileHashes? currentItl, IReadOnlyCollection<DevicePopulation> populations, int limit, CancellationToken cancellationToken);

    /// <summary>How many devices are in each ITL state (the dashboard's "devices by ITL status").</summary>
    Task<IReadOnlyDictionary<TrustFileState, int>> CountByItlStateAsync(TftpFileHashes? currentItl, CancellationToken cancellationToken);
}

/// <param name="Text">Part of the device name (any case) or of its description; null for all devices.</param>
/// <param name="ItlState">Only devices in this ITL state; null for all.</param>
/// <param name="Offset">Rows to skip, in name order.</param>
/// <param name="Limit">Rows to return at most.</param>
public sealed record DeviceQuery(string? Text, TrustFileState? ItlState, int Offset, int Limit);

/// <summary>One device of a list page: what the list shows, not the whole device.</summary>
public sealed record DeviceListRow(
    string Name,
    string Model,
    string Description,
    string CallManagerGroup,
    TrustFileState ItlState,
    DateTimeOffset? ItlServedAt,
    DateTimeOffset? ReportedAt,
    bool ResetPending);

/// <summary>What the change planner reads of a device.</summary>
public sealed record DevicePlanRow(string Name, string Model, string CallManagerGroup, TrustFileState ItlState, DeviceSecurityMode SecurityMode);

/// <summary>Devices the change planner cannot tell apart: the same group, model, ITL state and security mode.</summary>
/// <param name="CallManagerGroup">The group name as stored (the planner matches it to a group in any case).</param>
public sealed record DevicePopulation(string CallManagerGroup, string Model, TrustFileState ItlState, DeviceSecurityMode SecurityMode);

/// <summary>How many devices a population has.</summary>
public sealed record PopulationCount(DevicePopulation Population, int Count);

/// <param name="Total">Devices matching the query, over all pages.</param>
public sealed record DevicePage(IReadOnlyList<DeviceListRow> Rows, int Total, int Offset, int Limit);
