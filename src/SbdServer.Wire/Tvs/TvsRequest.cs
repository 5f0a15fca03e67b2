namespace SbdServer.Wire.Tvs;

/// <summary>A message a phone sends to TVS. <see cref="DeviceName"/> is <c>CP-&lt;model&gt;-SEP&lt;MAC&gt;</c>.</summary>
public abstract record TvsRequest(uint SessionId, string DeviceName)
{
    /// <summary>The command byte this request travels with.</summary>
    public abstract TvsCommand Command { get; }
}
