namespace SbdServer.Core.Tftp;

/// <summary>
/// Turns a requested name into the catalogue's canonical relative name, or refuses it. Applied before any source
/// sees the name, so no source has to re-check traversal.
/// </summary>
/// <remarks>
/// Rules (docs/protocols/tftp.md "File names"): one leading '/' is stripped (phones send it; tftp-hpa --secure
/// does the same), '\' is read as '/', and the name is refused when it is empty, longer than
/// <see cref="MaxLength"/>, contains a control character, ':' (drive letters, streams), an empty segment ("a//b"),
/// or a "." / ".." segment. Case is preserved here; lookups are case-insensitive in the sources.
/// </remarks>
public static class TftpFileName
{
    public const int MaxLength = 255;

    /// <summary>False when the name must be refused (the server answers "Access violation").</summary>
    public static bool TryNormalize(string requested, out string normalized)
    {
        normalized = string.Empty;
        if (string.IsNullOrEmpty(requested) || requested.Length > MaxLength)
        {
            return false;
        }

        var name = requested.Replace('\\', '/');
        if (name[0] == '/')
        {
            name = name[1..];
        }

        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c < 0x20 || c == 0x7F || c == ':')
            {
                return false;
            }
        }

        foreach (var segment in name.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
            {
                return false;
            }
        }

        normalized = name;
        return true;
    }
}
