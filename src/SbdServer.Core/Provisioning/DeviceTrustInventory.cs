using SbdServer.Core.Devices;
using SbdServer.Core.Errors;
using SbdServer.Core.Tftp;
using SbdServer.Wire.Names;

namespace SbdServer.Core.Provisioning;

/// <summary>
/// Per device: the ITL and CTL it last fetched, and what it last reported holding, against the ones this node serves
/// it now.
/// </summary>
public sealed class DeviceTrustInventory(
    IDeviceStore devices, IServedFileStore served, IDeviceReportStore reports, GeneratedFileCatalogue catalogue)
{
    public async Task<IReadOnlyList<DeviceTrustFileView>> GetAsync(string name, CancellationToken cancellationToken)
    {
        var device = (DeviceName.TryParse(name, out var parsed) ? await devices.FindAsync(parsed.Value, cancellationToken) : null)
            ?? throw new NotFoundException($"No device '{(name.Length <= 40 ? name : name[..40] + "...")}'.");
        var records = await served.ForDeviceAsync(device.Name, cancellationToken);
        var report = await reports.FindAsync(device.Name, cancellationToken);
        return await StatesAsync(device, records, report, cancellationToken);
    }

    /// <summary>Every device (by name) with its ITL and CTL state; <paramref name="itlState"/> keeps only that ITL state.</summary>
    public async Task<IReadOnlyList<DeviceInventoryEntry>> ListAsync(TrustFileState? itlState, CancellationToken cancellationToken)
    {
        var all = await devices.ListAsync(cancellationToken);
        var records = (await served.ListAsync(cancellationToken)).ToLookup(r => r.DeviceName, StringComparer.Ordinal);
        var reported = (await reports.ListAsync(cancellationToken)).ToDictionary(r => r.DeviceName, StringComparer.Ordinal);
        var result = new List<DeviceInventoryEntry>(all.Count);
        foreach (var device in all.OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            var report = reported.GetValueOrDefault(device.Name);
            var states = await StatesAsync(device, [.. records[device.Name]], report, cancellationToken);
            if (itlState is not null && states[0].State != itlState)
            {
                continue;
            }

            result.Add(new DeviceInventoryEntry(
                device.Name, device.Model, device.CallManagerGroup, states[0], states[1], report is null ? null : DeviceReportView.Of(report)));
        }

        return result;
    }

    /// <summary>Parses the <c>itlStatus</c> filter: <c>mismatched</c>, <c>stale</c>, <c>insync</c>, <c>neverfetched</c>.</summary>
    public static TrustFileState ParseState(string text) => text.Trim().ToUpperInvariant() switch
    {
        "MISMATCHED" or "REPORTEDMISMATCH" => TrustFileState.ReportedMismatch,
        "STALE" => TrustFileState.Stale,
        "INSYNC" => TrustFileState.InSync,
        "NEVERFETCHED" => TrustFileState.NeverFetched,
        _ => throw new InvalidInputException("Query 'itlStatus' must be mismatched, stale, insync or neverfetched."),
    };

    private async Task<IReadOnlyList<DeviceTrustFileView>> StatesAsync(
        Device device, IReadOnlyList<DeviceServedFile> records, DeviceReport? report, CancellationToken cancellationToken)
    {
        var result = new List<DeviceTrustFileView>(2);
        var mac = DeviceName.Parse(device.Name).Mac;
        foreach (var (fileKind, kind) in new[] { (PhoneFileKind.Itl, "ITL"), (PhoneFileKind.Ctl, "CTL") })
        {
            var current = await catalogue.GetAsync(PhoneFileName.ForDevice(fileKind, mac).ToString(), null, cancellationToken);
            var last = records.FirstOrDefault(r => r.Kind == kind);
            var state = last is null
                ? TrustFileState.NeverFetched
                : current is not null && string.Equals(current.Hashes.Sha1, last.Sha1, StringComparison.Ordinal)
                    ? TrustFileState.InSync
                    : TrustFileState.Stale;
            var (reportedMd5, reportedSha1) = kind == "ITL" ? (report?.ItlMd5, report?.ItlSha1) : (report?.CtlMd5, report?.CtlSha1);

            // The phone's word is the newest evidence unless it fetched again after reporting. A report without this
            // file's hashes says the phone holds none, which matters only while there is a file to hold.
            if (report is not null && (last is null || report.ReceivedAt >= last.ServedAt)
                && (reportedMd5 is not null || reportedSha1 is not null || current is not null))
            {
                state = Matches(reportedMd5, reportedSha1, current?.Hashes) ? TrustFileState.InSync : TrustFileState.ReportedMismatch;
            }

            result.Add(new DeviceTrustFileView(
                kind, state, last?.Md5, last?.Sha1, last?.ServedAt, current?.Hashes.Md5, current?.Hashes.Sha1,
                reportedMd5, reportedSha1, reportedMd5 is null && reportedSha1 is null ? null : report?.ReceivedAt));
        }

        return result;
    }

    private static bool Matches(string? md5, string? sha1, TftpFileHashes? current)
    {
        if (current is null)
        {
            return md5 is null && sha1 is null;
        }

        // Older phones show only the MD5 (7900 series), newer ones the SHA-1; both must agree when both are sent.
        return (sha1 is not null || md5 is not null)
            && (sha1 is null || string.Equals(sha1, current.Sha1, StringComparison.OrdinalIgnoreCase))
            && (md5 is null || string.Equals(md5, current.Md5, StringComparison.OrdinalIgnoreCase));
    }
}
