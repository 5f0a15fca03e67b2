namespace SbdServer.Core.Devices;

/// <summary>One row of the fleet-wide trust inventory (<c>GET /api/inventory</c>).</summary>
public sealed record DeviceInventoryEntry(
    string Name,
    string Model,
    string CallManagerGroup,
    DeviceTrustFileView Itl,
    DeviceTrustFileView Ctl,
    DeviceReportView? Reported);
