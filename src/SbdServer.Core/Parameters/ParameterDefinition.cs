namespace SbdServer.Core.Parameters;

/// <summary>An enterprise parameter: its default and how a new value is checked and normalised.</summary>
// Normalize: Returns the canonical value, or null when the value is not allowed.
public sealed record ParameterDefinition(
    string Name,
    string DefaultValue,
    string Allowed,
    Func<string, string?> Normalize);
