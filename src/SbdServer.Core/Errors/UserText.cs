namespace SbdServer.Core.Errors;

/// <summary>Caller input echoed in a refusal's message.</summary>
public static class UserText
{
    /// <summary>At most 80 characters, control characters as '?': a message stays one readable line.</summary>
    public static string Echo(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(value.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());
    }
}
