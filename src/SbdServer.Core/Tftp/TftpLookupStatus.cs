namespace SbdServer.Core.Tftp;

public enum TftpLookupStatus
{
    /// <summary>The file exists; the result carries its content.</summary>
    Found,

    /// <summary>No source holds it (TFTP ERROR 1, HTTP 404).</summary>
    NotFound,

    /// <summary>The name was refused by <see cref="TftpFileName"/> (TFTP ERROR 2, HTTP 404).</summary>
    InvalidName,
}
