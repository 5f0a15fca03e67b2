using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using SbdServer.Core.Errors;

namespace SbdServer.Core.Cluster;

/// <summary>The rule for a node's "Host Name/IP Address" (what configs name the node by).</summary>
public static class HostAddresses
{
    /// <summary>
    /// A DNS name or an IP address, trimmed; null for empty (the FQDN). Throws <see cref="InvalidInputException"/> for
    /// anything else.
    /// </summary>
    public static string? Normalize(string? hostAddress)
    {
        var value = hostAddress?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var error = new InvalidInputException($"'{UserText.Echo(value)}' is neither a host name nor an IP address.");
        if (value.Contains(':', StringComparison.Ordinal))
        {
            return IPAddress.TryParse(value, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6
                ? v6.ToString()
                : throw error;
        }

        // All-numeric labels are an IPv4 address and must be a whole one ("10.0.1" is not a host name either).
        var member = value.Split('.').All(label => label.Length > 0 && label.All(char.IsAsciiDigit))
            ? nameof(LocalNodeOptions.Address)
            : nameof(LocalNodeOptions.Fqdn);
        var check = new LocalNodeOptions { Fqdn = value, Address = value };
        var results = new List<ValidationResult>();
        var property = member == nameof(LocalNodeOptions.Address) ? check.Address : check.Fqdn;
        return Validator.TryValidateProperty(property, new ValidationContext(check) { MemberName = member }, results)
            ? value
            : throw error;
    }
}
