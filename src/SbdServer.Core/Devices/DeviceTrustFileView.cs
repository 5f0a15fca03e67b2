namespace SbdServer.Core.Devices;

/// <summary>One trust list of a device: what it last fetched, what it would get now, and whether they match.</summary>
/// <param name="File"><c>ITL</c> or <c>CTL</c>.</param>
/// <param name="ReportedSha1">The hash the phone itself last reported for this file (null without a report naming it).</param>
public sealed record DeviceTrustFileView(
    string File,
    TrustFileState State,
    string? ServedMd5,
    string? ServedSha1,
    DateTimeOffset? ServedAt,
    string? CurrentMd5,
    string? CurrentSha1,
    string? ReportedMd5 = null,
    string? ReportedSha1 = null,
    DateTimeOffset? ReportedAt = null);
