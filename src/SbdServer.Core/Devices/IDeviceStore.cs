namespace SbdServer.Core.Devices;

/// <summary>
/// Read side of the device table. Writes go through <see cref="Storage.ISecurityStore.CommitAsync"/> so that a device
/// change, its audit entry and its change event commit together like every other security change.
/// </summary>
public interface IDeviceStore
{
    Task<IReadOnlyList<Device>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The device named <paramref name="name"/> (canonical <c>SEP...</c> form), or null.</summary>
    Task<Device?> FindAsync(string name, CancellationToken cancellationToken);
}
