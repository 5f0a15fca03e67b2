using SbdServer.Wire.Dn;
using SbdServer.Wire.Signed;

namespace SbdServer.Wire.Itl;

/// <summary>A parsed ITL or CTL: its signed header and records.</summary>
public sealed class TrustListFile(SignedFile signed, IReadOnlyList<TrustListRecord> records)
{
    public SignedFile Signed { get; } = signed;

    public SignedHeader Header => Signed.Header;

    public IReadOnlyList<TrustListRecord> Records { get; } = records;

    /// <summary>True when every record's FUNCTION is blank (the rollback ITL).</summary>
    public bool IsBlank => Records.Count > 0 && Records.All(r => r.Role is null);

    /// <summary>CTL files are named CTL...; the file name comes from FILENAME (tag 14).</summary>
    public bool IsCtl => Header.FileName?.StartsWith("CTL", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>
    /// The index of the record whose key signs the file: the SAST record whose serial and issuer match the header's
    /// signer (any record of a blank rollback ITL, whose FUNCTION entries are empty); null when none matches.
    /// </summary>
    public int? SignerRecordIndex
    {
        get
        {
            for (var i = 0; i < Records.Count; i++)
            {
                var record = Records[i];
                var eligible = record.Role == TrustRole.Sast || (record.Role is null && IsBlank);
                if (eligible && IsSignedBy(Header, record.SerialNumber, record.IssuerName))
                {
                    return i;
                }
            }

            return null;
        }
    }

    /// <summary>Serial equal byte for byte and issuer DN equivalent (either separator).</summary>
    public static bool IsSignedBy(SignedHeader header, ReadOnlySpan<byte> serial, string issuer)
    {
        ArgumentNullException.ThrowIfNull(header);
        return header.SerialNumber.AsSpan().SequenceEqual(serial) && DistinguishedNames.AreEquivalent(header.IssuerName, issuer);
    }
}
