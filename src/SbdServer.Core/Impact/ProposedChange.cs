using SbdServer.Core.Certificates;

namespace SbdServer.Core.Impact;

/// <summary>One change an admin considers; <see cref="ChangePlanner"/> says what it would do to each phone.</summary>
public sealed record ProposedChange(
    ProposedChangeKind Kind,
    string? Node = null,
    string? Certificate = null,
    string? Parameter = null,
    string? Value = null,
    string? Fqdn = null,
    KeyAlgorithm? Key = null)
{
    /// <summary>A regeneration; <paramref name="key"/> null keeps the certificate's key algorithm and size.</summary>
    public static ProposedChange Regenerate(string node, string certificate, KeyAlgorithm? key = null) =>
        new(ProposedChangeKind.Regenerate, node, certificate, Key: key);

    public static ProposedChange SetParameter(string parameter, string value) =>
        new(ProposedChangeKind.Parameter, Parameter: parameter, Value: value);

    public static ProposedChange Rename(string node, string fqdn) => new(ProposedChangeKind.Rename, node, Fqdn: fqdn);

    /// <summary><c>localkey</c> starts a bulk ITL reset, <c>none</c> ends it.</summary>
    public static ProposedChange ItlReset(string value) => new(ProposedChangeKind.ItlReset, Value: value);
}
