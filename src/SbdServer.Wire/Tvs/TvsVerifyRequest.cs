namespace SbdServer.Wire.Tvs;

/// <summary>VERIFY (command 1): "do you trust this certificate?", typically an HTTPS server's certificate.</summary>
public sealed record TvsVerifyRequest(uint SessionId, string DeviceName, ReadOnlyMemory<byte> Certificate)
    : TvsRequest(SessionId, DeviceName)
{
    public override TvsCommand Command => TvsCommand.VerifyRequest;
}
