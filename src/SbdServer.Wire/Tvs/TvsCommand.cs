namespace SbdServer.Wire.Tvs;

/// <summary>Command byte at offset 2 of a TVS header (docs/protocols/tvs.md section 2).</summary>
public enum TvsCommand : byte
{
    /// <summary>TVS_MSG_CERT_VERIFICATION_REQ: "do you trust this certificate?" (device name + DER).</summary>
    VerifyRequest = 1,

    /// <summary>Answer to <see cref="VerifyRequest"/>: STATUS [+ ROLES + TTL].</summary>
    VerifyResponse = 2,

    /// <summary>TVS_MSG_QUERY_CERT_REQ: "which certificate is subject/issuer/serial?" (signer of a new ITL/config).</summary>
    QueryRequest = 3,

    /// <summary>Answer to <see cref="QueryRequest"/>: STATUS [+ CERTIFICATE + ROLES + TTL].</summary>
    QueryResponse = 4,
}
