using System.Net;
using Microsoft.Extensions.Options;

namespace SbdServer.Capf;

/// <summary>The <c>Capf</c> rules that span fields or need parsing (the data annotations check each field alone).</summary>
internal sealed class CapfOptionsValidator : IValidateOptions<CapfOptions>
{
    public ValidateOptionsResult Validate(string? name, CapfOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!IPAddress.TryParse(options.Address, out _))
        {
            failures.Add("Capf:Address must be an IP address.");
        }

        // The kit cannot tell a phone busy generating its key from a dead one: both are silent.
        if (options.IdleTimeout <= options.KeyGenerationTimeout)
        {
            failures.Add(
                $"Capf:IdleTimeout ({options.IdleTimeout}) must be longer than Capf:KeyGenerationTimeout ({options.KeyGenerationTimeout}): "
                + "a phone generating its key sends nothing meanwhile.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
