namespace SbdServer.Wire.Tftp;

/// <summary>RFC 1350 / RFC 764 netascii conversion from the server's Unix text: LF -> CR LF, CR -> CR NUL.</summary>
public static class Netascii
{
    /// <summary>Number of bytes <see cref="Encode"/> produces for <paramref name="source"/>.</summary>
    public static long EncodedLength(ReadOnlySpan<byte> source)
    {
        long extra = source.Count((byte)'\n') + source.Count((byte)'\r');
        return source.Length + extra;
    }

    /// <summary>Converts a whole file to netascii.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> source)
    {
        var output = new byte[EncodedLength(source)];
        var o = 0;
        foreach (var b in source)
        {
            switch (b)
            {
                case (byte)'\n':
                    output[o++] = (byte)'\r';
                    output[o++] = (byte)'\n';
                    break;
                case (byte)'\r':
                    output[o++] = (byte)'\r';
                    output[o++] = 0;
                    break;
                default:
                    output[o++] = b;
                    break;
            }
        }

        return output;
    }
}
