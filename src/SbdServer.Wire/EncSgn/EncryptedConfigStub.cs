using System.Globalization;
using System.Security;
using System.Text;

namespace SbdServer.Wire.EncSgn;

/// <summary>Writes the minimal config that points a phone at its encrypted one (<c>encrConfig</c> true).</summary>
public static class EncryptedConfigStub
{
    public static string Build(EncryptedConfigStubOptions options)
    {
        if (options.CertificateHash.Length != 32 || !options.CertificateHash.All(Uri.IsHexDigit))
        {
            throw new ArgumentException("certHash must be 32 hex digits (an MD5).", nameof(options));
        }

        var xml = new StringBuilder(512);
        xml.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<device>\n");
        xml.Append("  <fullConfig>false</fullConfig>\n");
        if (options.IpAddressMode is { } mode)
        {
            Element(xml, "ipAddressMode", mode.ToString(CultureInfo.InvariantCulture));
        }

        Element(xml, "capfAuthMode", options.CapfAuthMode.ToString(CultureInfo.InvariantCulture));
        if (options.CapfServers.Count > 0)
        {
            xml.Append("  <capfList>\n");
            foreach (var (host, port) in options.CapfServers)
            {
                xml.Append("    <capf>\n");
                xml.Append("      <phonePort>").Append(port.ToString(CultureInfo.InvariantCulture))
                    .Append("</phonePort>\n");
                xml.Append("      <processNodeName>").Append(SecurityElement.Escape(host))
                    .Append("</processNodeName>\n");
                xml.Append("    </capf>\n");
            }

            xml.Append("  </capfList>\n");
        }

        if (options.LoadInformation is { } load)
        {
            Element(xml, "loadInformation", load);
        }

        Element(xml, "certHash", options.CertificateHash.ToLowerInvariant());
        xml.Append("  <encrConfig>true</encrConfig>\n</device>\n");
        return xml.ToString();
    }

    private static void Element(StringBuilder xml, string name, string value) =>
        xml.Append("  <").Append(name).Append('>').Append(SecurityElement.Escape(value)).Append("</").Append(name)
            .Append(">\n");
}
