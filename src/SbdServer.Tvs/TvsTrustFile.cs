namespace SbdServer.Tvs;

/// <summary>
/// A PEM/DER certificate file placed into a store at startup (<c>Tvs:TrustFiles</c>), for nodes whose trust
/// stores are not managed by SbdServer's certificate management.
/// </summary>
public sealed class TvsTrustFile
{
    /// <summary>Store name as CUCM spells it, e.g. <c>tomcat-trust</c> (decides the roles, see StoreRoles).</summary>
    public string Store { get; set; } = "";

    /// <summary>Path of a PEM (one or more certificates) or DER file.</summary>
    public string Path { get; set; } = "";
}
