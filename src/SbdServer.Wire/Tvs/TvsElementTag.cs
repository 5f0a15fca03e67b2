namespace SbdServer.Wire.Tvs;

/// <summary>Element tags inside a TVS message body (docs/protocols/tvs.md section 3).</summary>
public enum TvsElementTag : byte
{
    /// <summary>0x01 then ASCII <c>CP-&lt;model&gt;-SEP&lt;MAC&gt;</c>.</summary>
    DeviceName = 1,

    /// <summary>DER of a certificate.</summary>
    Certificate = 2,

    /// <summary>Subject DN, NUL-terminated (QUERY request).</summary>
    SubjectName = 3,

    /// <summary>Issuer DN, NUL-terminated (QUERY request; tag inferred from the capture's byte counts).</summary>
    IssuerName = 4,

    /// <summary>Serial number, raw big-endian bytes (QUERY request; tag inferred from the capture's byte counts).</summary>
    SerialNumber = 5,

    /// <summary>One byte, see <see cref="TvsStatus"/>.</summary>
    Status = 7,

    /// <summary>One byte per role, role codes as the ITL FUNCTION field.</summary>
    Roles = 8,

    /// <summary>u32 seconds the phone may cache the answer.</summary>
    Ttl = 9,
}
