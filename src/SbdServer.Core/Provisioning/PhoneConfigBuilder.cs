using System.Text;
using System.Xml;
using System.Xml.Linq;
using SbdServer.Core.Devices;

namespace SbdServer.Core.Provisioning;

/// <summary>
/// Builds a phone's <c>SEP&lt;MAC&gt;.cnf.xml</c> (shared/docs/formats.md section 5, cucm-reference.md 1.7); the stub
/// that points an encrypted-config phone at the <c>.enc.sgn</c> is <c>Wire.EncSgn.EncryptedConfigStub</c>.
/// </summary>
public static class PhoneConfigBuilder
{
    /// <summary>SCCP, SIP and secure SIP ports CUCM writes for every group member.</summary>
    public const int SccpPort = 2000;

    public const int SipPort = 5060;
    public const int SecureSipPort = 5061;
    public const int TvsPort = 2445;
    public const int CapfPort = 3804;
    public const int SecureServicesPort = 8443;
    public const int PlainServicesPort = 8080;

    /// <summary>The full configuration (<c>fullConfig</c> true).</summary>
    public static byte[] BuildFull(PhoneConfigInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.GroupMembers.Count is < 1 or > 3)
        {
            throw new ArgumentException("A CallManager group has 1 to 3 members.", nameof(input));
        }

        var members = input.GroupMembers.Select((node, priority) => new XElement("member",
            new XAttribute("priority", priority),
            new XElement("callManager",
                new XElement("name", node.Name),
                new XElement("ports",
                    new XElement("ethernetPhonePort", SccpPort),
                    new XElement("sipPort", SipPort),
                    new XElement("securedSipPort", SecureSipPort)),
                new XElement("processNodeName", node.ProcessNodeName))));

        // The phone asks these TVS servers in this order, so the list must follow the group's priority order.
        var tvs = input.GroupMembers.Select((node, priority) => new XElement("member",
            new XAttribute("priority", priority),
            new XElement("port", TvsPort),
            new XElement("address", node.ProcessNodeName)));

        var urlHost = input.GroupMembers[0].ProcessNodeName;
        var device = new XElement("device",
            new XElement("fullConfig", "true"),
            new XElement("deviceProtocol", input.Protocol == DeviceProtocol.Sip ? "SIP" : "SCCP"),
            new XElement("sshUserId"),
            new XElement("devicePool",
                new XElement("name", input.DevicePool),
                new XElement("callManagerGroup",
                    new XElement("name", input.CallManagerGroup),
                    new XElement("tftpDefault", "true"),
                    new XElement("members", members))),
            new XElement("TVS", new XElement("members", tvs)),
            new XElement("deviceSecurityMode", (int)input.SecurityMode),
            CapfElements(input),
            new XElement("certHash", input.CertificateMd5Hex ?? string.Empty),
            new XElement("encrConfig", input.EncryptedConfig ? "true" : "false"),
            new XElement("loadInformation", input.LoadInformation),
            new XElement("authenticationURL", ServiceUrl(input.SecureUrls, urlHost, "authenticate.jsp")),
            new XElement("directoryURL", ServiceUrl(input.SecureUrls, urlHost, "xmldirectory.jsp")));
        return Serialize(device);
    }

    /// <summary>
    /// <c>XMLDefault.cnf.xml</c>: what an unknown phone gets while auto-registration is on. No device-specific fields;
    /// the group to register with, its TVS servers, and plain service URLs.
    /// </summary>
    public static byte[] BuildDefault(IReadOnlyList<CallManagerNodeRef> members, CallManagerNodeRef? capfNode)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count is < 1 or > 3)
        {
            throw new ArgumentException("A CallManager group has 1 to 3 members.", nameof(members));
        }

        var urlHost = members[0].ProcessNodeName;
        var root = new XElement("Default",
            new XElement("callManagerGroup",
                new XElement("members", members.Select((node, priority) => new XElement("member",
                    new XAttribute("priority", priority),
                    new XElement("callManager",
                        new XElement("ports",
                            new XElement("ethernetPhonePort", SccpPort),
                            new XElement("sipPort", SipPort),
                            new XElement("securedSipPort", SecureSipPort)),
                        new XElement("processNodeName", node.ProcessNodeName)))))),
            new XElement("TVS", new XElement("members", members.Select((node, priority) => new XElement("member",
                new XAttribute("priority", priority),
                new XElement("port", TvsPort),
                new XElement("address", node.ProcessNodeName))))),
            new XElement("capfList", capfNode is null
                ? null
                : new XElement("capf",
                    new XElement("phonePort", CapfPort),
                    new XElement("processNodeName", capfNode.ProcessNodeName))),
            new XElement("authenticationURL", ServiceUrl(false, urlHost, "authenticate.jsp")),
            new XElement("directoryURL", ServiceUrl(false, urlHost, "xmldirectory.jsp")));
        return Serialize(root);
    }

    private static IEnumerable<XElement> CapfElements(PhoneConfigInput input)
    {
        yield return new XElement("capfAuthMode", input.CapfAuthMode);
        yield return new XElement("capfList", input.CapfNode is null
            ? null
            : new XElement("capf",
                new XElement("phonePort", CapfPort),
                new XElement("processNodeName", input.CapfNode.ProcessNodeName)));
    }

    private static string ServiceUrl(bool secure, string host, string page) =>
        secure ? $"https://{host}:{SecureServicesPort}/ccmcip/{page}" : $"http://{host}:{PlainServicesPort}/ccmcip/{page}";

    private static byte[] Serialize(XElement root)
    {
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
        };
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, settings))
        {
            new XDocument(new XDeclaration("1.0", "UTF-8", null), root).Save(writer);
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }
}
