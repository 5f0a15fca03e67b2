using System.ComponentModel.DataAnnotations;
using SbdServer.Core.Errors;

namespace SbdServer.Core.Cluster;

/// <summary>
/// This node's identity (configuration section <c>Sbd:Node</c>), the subject parts of the certificates it creates
/// (<c>Sbd:Certificates</c>) and the cluster name of a first start (<c>Sbd:Cluster:Name</c>).
/// </summary>
public sealed class LocalNodeOptions : IValidatableObject
{
    public const string Section = "Sbd:Node";

    public const string CertificatesSection = "Sbd:Certificates";

    public const string ClusterNameKey = "Sbd:Cluster:Name";

    [Required]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9-]{0,62}$", ErrorMessage = "Sbd:Node:Name must be a host name (letters, digits, '-').")]
    public string Name { get; set; } = "sbd-pub";

    [Required]
    [RegularExpression(@"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$",
        ErrorMessage = "Sbd:Node:Fqdn must be a DNS name.")]
    public string Fqdn { get; set; } = "sbd-pub.local";

    [Required]
    [RegularExpression(@"^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$",
        ErrorMessage = "Sbd:Node:Address must be an IPv4 address.")]
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>
    /// CUCM's "Host Name/IP Address" of this node (<c>Sbd:Node:HostAddress</c>): what configs name it by. Unset means
    /// the FQDN; when set, every start applies it (so compose files and the node agree), and
    /// <c>PUT /api/nodes/{node}/host</c> changes it until the next start.
    /// </summary>
    public string? HostAddress { get; set; }

    public string ClusterName { get; set; } = "SbdCluster";

    public string Organization { get; set; } = "SbdServer";

    public string OrganizationalUnit { get; set; } = "SBD";

    public string? Locality { get; set; }

    public string? State { get; set; }

    public string Country { get; set; } = "US";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        string? error = null;
        try
        {
            HostAddresses.Normalize(HostAddress);
        }
        catch (InvalidInputException ex)
        {
            error = "Sbd:Node:HostAddress: " + ex.Message;
        }

        if (error is not null)
        {
            yield return new ValidationResult(error, [nameof(HostAddress)]);
        }
    }
}
