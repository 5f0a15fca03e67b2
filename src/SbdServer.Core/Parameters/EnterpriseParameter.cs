namespace SbdServer.Core.Parameters;

/// <summary>A stored enterprise parameter value (names and rules in <see cref="EnterpriseParameterCatalog"/>).</summary>
public sealed class EnterpriseParameter
{
    public required string Name { get; set; }

    public required string Value { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// Row version: 1 when added, incremented by each committed change; the store refuses a change read at another
    /// version (docs/adr/0003-cluster-writes.md, "Row versions").
    /// </summary>
    public long Version { get; set; } = 1;
}
