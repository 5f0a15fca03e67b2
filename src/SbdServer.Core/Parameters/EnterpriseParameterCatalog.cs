namespace SbdServer.Core.Parameters;

/// <summary>The enterprise parameters SbdServer knows (CUCM names without spaces).</summary>
public static class EnterpriseParameterCatalog
{
    public const string PrepareClusterForRollbackToPre80 = "PrepareClusterForRollbackToPre80";
    public const string TftpFileSignatureAlgorithm = "TftpFileSignatureAlgorithm";
    public const string PhoneInteractionOnCertificateUpdate = "PhoneInteractionOnCertificateUpdate";

    /// <summary>Unknown phones may register: TFTP serves them <c>XMLDefault.cnf.xml</c> (CUCM: auto-registration).</summary>
    public const string AutoRegistration = "AutoRegistration";

    /// <summary>Backed by <see cref="Cluster.ClusterSettings.SecurityMode"/>.</summary>
    public const string ClusterSecurityMode = "ClusterSecurityMode";

    /// <summary>Backed by <see cref="Cluster.ClusterSettings.ItlSignerMode"/>.</summary>
    public const string ItlSignerMode = "ItlSignerMode";

    public const string SecuredAuthenticationUrl = "SecuredAuthenticationUrl";
    public const string SecuredDirectoryUrl = "SecuredDirectoryUrl";
    public const string SecuredIdleUrl = "SecuredIdleUrl";
    public const string SecuredInformationUrl = "SecuredInformationUrl";
    public const string SecuredMessagesUrl = "SecuredMessagesUrl";
    public const string SecuredServicesUrl = "SecuredServicesUrl";

    private const int MaxValueLength = 1024;

    public static IReadOnlyList<ParameterDefinition> All { get; } =
    [
        OneOf(PrepareClusterForRollbackToPre80, "False", "True", "False"),
        OneOf(TftpFileSignatureAlgorithm, "SHA-1", "SHA-1", "SHA-512"),
        OneOf(PhoneInteractionOnCertificateUpdate, "ResetAutomatically", "ResetAutomatically", "ResetManually"),
        OneOf(AutoRegistration, "False", "True", "False"),
        OneOf(ClusterSecurityMode, "NonSecure", "NonSecure", "Mixed"),
        OneOf(ItlSignerMode, "ITLRecovery", "CallManager", "ITLRecovery"),
        Url(SecuredAuthenticationUrl, "https://{fqdn}:8443/ccmcip/authenticate.jsp"),
        Url(SecuredDirectoryUrl, "https://{fqdn}:8443/ccmcip/xmldirectory.jsp"),
        Url(SecuredIdleUrl, ""),
        Url(SecuredInformationUrl, "https://{fqdn}:8443/ccmcip/GetTelecasterHelpText.jsp"),
        Url(SecuredMessagesUrl, ""),
        Url(SecuredServicesUrl, "https://{fqdn}:8443/ccmcip/getservicesmenu.jsp"),
    ];

    /// <summary>The definition for <paramref name="name"/> (case-insensitive), or null.</summary>
    public static ParameterDefinition? Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    private static ParameterDefinition OneOf(string name, string defaultValue, params string[] allowed) =>
        new(name, defaultValue, "one of " + string.Join(", ", allowed), value =>
            allowed.FirstOrDefault(a => string.Equals(a, value.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            Choices = allowed,
        };

    // Defaults name the publisher as {fqdn}; the first start substitutes the real FQDN.
    private static ParameterDefinition Url(string name, string defaultValue) =>
        new(name, defaultValue, "an https:// URL (or empty)", value =>
        {
            var trimmed = value.Trim();
            if (trimmed.Length == 0)
            {
                return "";
            }

            return trimmed.Length <= MaxValueLength
                && Uri.TryCreate(trimmed, UriKind.Absolute, out var uri)
                && uri.Scheme == Uri.UriSchemeHttps
                ? trimmed
                : null;
        });
}
