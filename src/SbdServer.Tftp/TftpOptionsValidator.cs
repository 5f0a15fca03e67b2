using System.Net;
using Microsoft.Extensions.Options;

namespace SbdServer.Tftp;

/// <summary>Cross-field checks DataAnnotations cannot express; bad configuration stops startup.</summary>
internal sealed class TftpOptionsValidator : IValidateOptions<TftpOptions>
{
    public ValidateOptionsResult Validate(string? name, TftpOptions options)
    {
        var failures = new List<string>();
        if (!IPAddress.TryParse(options.Address, out _))
        {
            failures.Add($"Tftp:Address '{options.Address}' is not an IP address (use :: for all addresses).");
        }

        if (options.DataPortMin > options.DataPortMax || (options.DataPortMin == 0) != (options.DataPortMax == 0))
        {
            failures.Add("Tftp:DataPortMin and Tftp:DataPortMax must both be 0 or form a range Min <= Max.");
        }

        if (options.MaxRetransmitTimeoutMs < options.RetransmitTimeoutMs)
        {
            failures.Add("Tftp:MaxRetransmitTimeoutMs must not be below Tftp:RetransmitTimeoutMs.");
        }

        foreach (var location in options.AlternateLocations)
        {
            if (!Client.TftpEndpointParser.TryParse(location, 69, out _, out _))
            {
                failures.Add($"Tftp:AlternateLocations entry '{location}' is not host, host:port or [v6]:port.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
