using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace SbdServer.Phone.Config;

/// <summary>A TVS server from the configuration's <c>&lt;TVS&gt;</c> list, in priority order.</summary>
public sealed record TvsServer(string Address, int Port)
{
    public override string ToString() => $"{Address}:{Port}";
}

/// <summary>A member of the configuration's CallManager group, in priority order: where the phone registers.</summary>
/// <param name="Name">The CallManager's name (<c>callManager/name</c>).</param>
/// <param name="Host">Its <c>processNodeName</c>: the address the phone connects to.</param>
/// <param name="SecuredSipPort">Its <c>securedSipPort</c>: SIP over TLS, for authenticated and encrypted profiles.</param>
public sealed record CallManagerMember(string Name, string Host, int SecuredSipPort);

/// <summary>
/// The parts of <c>SEP&lt;MAC&gt;.cnf.xml</c> (or <c>XMLDefault.cnf.xml</c>) a phone acts on for security: its TVS
/// list, whether the real configuration is encrypted and for which certificate, and the service URLs.
/// </summary>
public sealed record PhoneConfigFile(
    bool IsDefault,
    bool FullConfig,
    bool EncryptedConfig,
    string? CertificateHash,
    IReadOnlyList<TvsServer> TvsServers,
    IReadOnlyList<string> CallManagers,
    string? AuthenticationUrl,
    string? DirectoryUrl,
    string? LoadInformation)
{
    /// <summary>The CallManager group's members in priority order (empty in a config without a group).</summary>
    public IReadOnlyList<CallManagerMember> Members { get; init; } = [];

    /// <summary><c>deviceSecurityMode</c>: 1 non-secure, 2 authenticated, 3 encrypted (1 when absent).</summary>
    public int DeviceSecurityMode { get; init; } = 1;

    /// <summary>The size limit phones log for a configuration file ("size limit 550001").</summary>
    public const int MaxBytes = 550_001;

    private const int MaxTvsServers = 3;

    /// <summary>Parses the plain XML.</summary>
    /// <exception cref="FormatException">Not well-formed, a DTD, too large, or neither <c>device</c> nor <c>Default</c>.</exception>
    public static PhoneConfigFile Parse(ReadOnlySpan<byte> xml)
    {
        if (xml.Length > MaxBytes)
        {
            throw new FormatException($"the configuration is {xml.Length} bytes; phones refuse more than {MaxBytes}.");
        }

        XDocument document;
        try
        {
            using var stream = new MemoryStream(xml.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                MaxCharactersInDocument = MaxBytes,
            });
            document = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new FormatException("the configuration is not well-formed XML: " + e.Message, e);
        }

        var root = document.Root!;
        var isDefault = root.Name.LocalName == "Default";
        if (!isDefault && root.Name.LocalName != "device")
        {
            throw new FormatException($"the configuration's root element is <{root.Name.LocalName}>, not <device> or <Default>.");
        }

        var tvs = root.Element("TVS")?.Element("members")?.Elements("member")
            .Select((member, index) => (
                Priority: int.TryParse((string?)member.Attribute("priority"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : index,
                Address: ((string?)member.Element("address"))?.Trim(),
                Port: int.TryParse((string?)member.Element("port"), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                    && port is > 0 and <= 65535 ? port : 2445))
            .Where(m => !string.IsNullOrEmpty(m.Address))
            .OrderBy(m => m.Priority)
            .Take(MaxTvsServers)
            .Select(m => new TvsServer(m.Address!, m.Port))
            .ToList() ?? [];

        var managers = root.Descendants("callManager")
            .Select(m => ((string?)m.Element("processNodeName"))?.Trim())
            .Where(n => !string.IsNullOrEmpty(n))
            .Select(n => n!)
            .ToList();

        var members = root.Descendants("member")
            .Select((member, index) => (Member: member, Priority: int.TryParse((string?)member.Attribute("priority"), NumberStyles.Integer,
                CultureInfo.InvariantCulture, out var p) ? p : index))
            .Where(m => m.Member.Element("callManager") is not null)
            .OrderBy(m => m.Priority)
            .Select(m => m.Member.Element("callManager")!)
            .Select(cm => new CallManagerMember(
                ((string?)cm.Element("name"))?.Trim() ?? "",
                ((string?)cm.Element("processNodeName"))?.Trim() ?? "",
                int.TryParse((string?)cm.Element("ports")?.Element("securedSipPort"), NumberStyles.None, CultureInfo.InvariantCulture, out var tls)
                    && tls is > 0 and <= 65535 ? tls : 5061))
            .Where(m => m.Host.Length > 0)
            .Take(MaxTvsServers)
            .ToList();

        return new PhoneConfigFile(
            isDefault,
            FullConfig: !string.Equals(Text(root, "fullConfig"), "false", StringComparison.OrdinalIgnoreCase),
            EncryptedConfig: string.Equals(Text(root, "encrConfig"), "true", StringComparison.OrdinalIgnoreCase),
            CertificateHash: Text(root, "certHash") is { Length: > 0 } hash ? hash : null,
            tvs,
            managers,
            Text(root, "authenticationURL"),
            Text(root, "directoryURL"),
            Text(root, "loadInformation"))
        {
            Members = members,
            DeviceSecurityMode = int.TryParse(Text(root, "deviceSecurityMode"), NumberStyles.None, CultureInfo.InvariantCulture, out var mode)
                && mode is >= 1 and <= 3 ? mode : 1,
        };
    }

    private static string? Text(XElement root, string name) => ((string?)root.Element(name))?.Trim();
}
