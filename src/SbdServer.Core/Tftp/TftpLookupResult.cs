namespace SbdServer.Core.Tftp;

/// <summary>Outcome of a catalogue lookup. <see cref="Content"/> is set only for <see cref="TftpLookupStatus.Found"/>.</summary>
public sealed record TftpLookupResult(TftpLookupStatus Status, string? ServedName = null, TftpFileContent? Content = null)
{
    public static TftpLookupResult NotFound { get; } = new(TftpLookupStatus.NotFound);

    public static TftpLookupResult InvalidName { get; } = new(TftpLookupStatus.InvalidName);
}
