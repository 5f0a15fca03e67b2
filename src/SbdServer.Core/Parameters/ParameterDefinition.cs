namespace SbdServer.Core.Parameters;

/// <summary>An enterprise parameter: its default and how a new value is checked and normalised.</summary>
// Normalize: Returns the canonical value, or null when the value is not allowed.
// Choices: The allowed values of a one-of parameter (the UI offers them as a list), or empty for free text.
public sealed record ParameterDefinition(
    string Name,
    string DefaultValue,
    string Allowed,
    Func<string, string?> Normalize)
{
    public IReadOnlyList<string> Choices { get; init; } = [];
}
