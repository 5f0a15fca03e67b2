namespace SbdServer.Wire.Tvs;

/// <summary>
/// QUERY (command 3): "send me the certificate with this issuer and serial" (the signer of a new ITL or config).
/// DNs are carried as the phone wrote them (CUCM style <c>CN=..;OU=..</c>), without the terminating NUL.
/// </summary>
public sealed record TvsQueryRequest(
    uint SessionId,
    string DeviceName,
    string? SubjectName,
    string IssuerName,
    ReadOnlyMemory<byte> SerialNumber)
    : TvsRequest(SessionId, DeviceName)
{
    public override TvsCommand Command => TvsCommand.QueryRequest;
}
