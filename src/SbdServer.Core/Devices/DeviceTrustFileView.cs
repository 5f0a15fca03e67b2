namespace SbdServer.Core.Devices;

/// <summary>One trust list of a device: what it last fetched, what it would get now, and whether they match.</summary>
/// <param name="File"><c>ITL</c> or <c>CTL</c>.</param>
public sealed record DeviceTrustFileView(
    string File,
    TrustFileState State,
    string? ServedMd5,
    string? ServedSha1,
    DateTimeOffset? ServedAt,
    string? CurrentMd5,
    string? CurrentSha1);
