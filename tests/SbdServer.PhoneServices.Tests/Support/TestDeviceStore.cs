using SbdServer.Core.Devices;

namespace SbdServer.PhoneServices.Tests.Support;

/// <summary>The device table as a list (the EF store is tested in Persistence and through the host).</summary>
internal sealed class TestDeviceStore(params string[] names) : IDeviceStore
{
    private readonly Device[] _devices =
    [
        .. names.Select(n => new Device { Name = n, Model = "8861", CallManagerGroup = "Default" }),
    ];

    public bool Fail { get; set; }

    public Task<IReadOnlyList<Device>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Device>>(_devices);

    public Task<Device?> FindAsync(string name, CancellationToken cancellationToken) =>
        Fail
            ? throw new InvalidOperationException("database is down")
            : Task.FromResult(_devices.FirstOrDefault(d => d.Name == name));
}
