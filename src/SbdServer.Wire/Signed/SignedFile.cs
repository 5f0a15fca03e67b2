namespace SbdServer.Wire.Signed;

/// <summary>A parsed signed file: header, the exact bytes that were signed, and the body after the header.</summary>
public sealed class SignedFile(SignedHeader header, ReadOnlyMemory<byte> bytes)
{
    private byte[]? _signedBytes;

    public SignedHeader Header { get; } = header;

    /// <summary>The whole file as given.</summary>
    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    /// <summary>Records (ITL/CTL), plain payload (.sgn) or ciphertext (.enc.sgn).</summary>
    public ReadOnlyMemory<byte> Body => Bytes[Header.HeaderLength..];

    /// <summary>The file with the whole SIGNATURE TLV removed: what the signature covers.</summary>
    public byte[] SignedBytes => _signedBytes ??= BuildSignedBytes();

    private byte[] BuildSignedBytes()
    {
        var start = Header.SignatureOffset;
        var end = start + 3 + Header.Signature.Length;
        var source = Bytes.Span;
        var result = new byte[source.Length - (end - start)];
        source[..start].CopyTo(result);
        source[end..].CopyTo(result.AsSpan(start));
        return result;
    }
}
