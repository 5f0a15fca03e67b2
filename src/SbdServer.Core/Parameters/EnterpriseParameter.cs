namespace SbdServer.Core.Parameters;

/// <summary>A stored enterprise parameter value (names and rules in <see cref="EnterpriseParameterCatalog"/>).</summary>
public sealed class EnterpriseParameter
{
    public required string Name { get; set; }

    public required string Value { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
