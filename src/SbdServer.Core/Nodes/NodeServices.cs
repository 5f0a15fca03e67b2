namespace SbdServer.Core.Nodes;

/// <summary>Security-relevant services a node runs.</summary>
[Flags]
public enum NodeServices
{
    None = 0,
    Tftp = 1,
    Tvs = 2,
    Capf = 4,
}
