using System.Text.Json.Serialization;
using SbdServer.Core.Errors;
using SbdServer.Core.Impact;

namespace SbdServer.Host.Api;

/// <summary>
/// One entry of a plan: <c>{"node","certificate","action":"regenerate"}</c>, <c>{"node","action":"rename","fqdn"}</c>,
/// <c>{"action":"itl-reset","value":"localkey|none"}</c> or <c>{"parameter","value"}</c>. Fields of another shape are refused rather than ignored.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record PlanChangeBody(
    string? Node, string? Certificate, string? Action, string? Parameter, string? Value, string? Fqdn, string? KeyAlgorithm = null)
{
    public ProposedChange ToChange(int index)
    {
        var at = $"changes[{index}]";
        if (Parameter is not null)
        {
            if (Node is not null || Certificate is not null || Action is not null || Fqdn is not null || KeyAlgorithm is not null)
            {
                throw new InvalidInputException($"{at}: a parameter change has only the fields 'parameter' and 'value'.");
            }

            return Value is null
                ? throw new InvalidInputException($"{at}: field 'value' is required with 'parameter'.")
                : ProposedChange.SetParameter(Parameter, Value);
        }

        if (string.Equals(Action, "regenerate", StringComparison.OrdinalIgnoreCase))
        {
            if (Fqdn is not null || Value is not null)
            {
                throw new InvalidInputException($"{at}: a regeneration has only the fields 'node', 'certificate', 'action' and 'keyAlgorithm'.");
            }

            return Certificate is null
                ? throw new InvalidInputException($"{at}: field 'certificate' is required for a regeneration.")
                : new ProposedChange(ProposedChangeKind.Regenerate, Node, Certificate, Key: Key(at));
        }

        if (string.Equals(Action, "rename", StringComparison.OrdinalIgnoreCase))
        {
            if (Certificate is not null || Value is not null || KeyAlgorithm is not null)
            {
                throw new InvalidInputException($"{at}: a rename has only the fields 'node', 'action' and 'fqdn' (all certificates of the node change).");
            }

            return new ProposedChange(ProposedChangeKind.Rename, Node, Fqdn: Fqdn ?? "");
        }

        if (string.Equals(Action, "itl-reset", StringComparison.OrdinalIgnoreCase))
        {
            if (Node is not null || Certificate is not null || Fqdn is not null || KeyAlgorithm is not null)
            {
                throw new InvalidInputException($"{at}: an ITL reset has only the fields 'action' and 'value' (localkey or none).");
            }

            return ProposedChange.ItlReset(Value ?? "");
        }

        static string Echo(string value) => new([.. value.Take(40).Select(c => char.IsControl(c) ? '?' : c)]);

        throw new InvalidInputException(Action is null
            ? $"{at}: give 'action' (regenerate, rename or itl-reset) or 'parameter'."
            : $"{at}: unknown action '{Echo(Action)}'; use regenerate, rename or itl-reset.");
    }

    // Names only: Enum.TryParse would also take "3" for the fourth algorithm.
    private Core.Certificates.KeyAlgorithm? Key(string at) =>
        string.IsNullOrEmpty(KeyAlgorithm) ? null
        : char.IsLetter(KeyAlgorithm[0]) && Enum.TryParse<Core.Certificates.KeyAlgorithm>(KeyAlgorithm, ignoreCase: true, out var key)
            ? key
            : throw new InvalidInputException(
                $"{at}: field 'keyAlgorithm' must be one of {string.Join(", ", Enum.GetNames<Core.Certificates.KeyAlgorithm>())}.");
}
