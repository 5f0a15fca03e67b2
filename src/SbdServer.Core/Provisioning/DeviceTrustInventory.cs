using SbdServer.Core.CertificateStore;
using SbdServer.Core.Devices;

namespace SbdServer.Core.Provisioning;

/// <summary>Per device: the ITL and CTL it last fetched against the ones this node serves it now.</summary>
public sealed class DeviceTrustInventory(IDeviceStore devices, IServedFileStore served, GeneratedFileCatalogue catalogue)
{
    public async Task<IReadOnlyList<DeviceTrustFileView>> GetAsync(string name, CancellationToken cancellationToken)
    {
        var device = (DeviceName.TryParse(name, out var parsed) ? await devices.FindAsync(parsed.Value, cancellationToken) : null)
            ?? throw new NotFoundException($"No device '{(name.Length <= 40 ? name : name[..40] + "...")}'.");
        var records = await served.ForDeviceAsync(device.Name, cancellationToken);
        var result = new List<DeviceTrustFileView>(2);
        foreach (var kind in new[] { "ITL", "CTL" })
        {
            var current = await catalogue.GetAsync($"{kind}{device.Name}.tlv", null, cancellationToken);
            var last = records.FirstOrDefault(r => r.Kind == kind);
            var state = last is null
                ? TrustFileState.NeverFetched
                : current is not null && string.Equals(current.Hashes.Sha1, last.Sha1, StringComparison.Ordinal)
                    ? TrustFileState.InSync
                    : TrustFileState.Stale;
            result.Add(new DeviceTrustFileView(kind, state, last?.Md5, last?.Sha1, last?.ServedAt, current?.Hashes.Md5, current?.Hashes.Sha1));
        }

        return result;
    }
}
