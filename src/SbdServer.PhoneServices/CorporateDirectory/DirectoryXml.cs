using System.Text;
using System.Xml;

namespace SbdServer.PhoneServices.CorporateDirectory;

/// <summary>
/// The CiscoIPPhone XML objects of the corporate directory (Cisco Unified IP Phone Services Application Development
/// Notes, "CiscoIPPhoneInput" and "CiscoIPPhoneDirectory"). Written with an <see cref="XmlWriter"/>, so every value is
/// escaped; no XML declaration, as the objects in the development notes (older phones parse them without one).
/// </summary>
public static class DirectoryXml
{
    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        OmitXmlDeclaration = true,
        Indent = false,
        CheckCharacters = true,
    };

    /// <summary>The search form: first name <c>f</c>, last name <c>l</c>, number <c>n</c>, submitted to <paramref name="searchUrl"/>.</summary>
    public static byte[] SearchForm(string searchUrl) => Write(writer =>
    {
        writer.WriteStartElement("CiscoIPPhoneInput");
        writer.WriteElementString("Title", "Corporate Directory");
        writer.WriteElementString("Prompt", "Enter search criteria");
        writer.WriteElementString("URL", searchUrl);
        InputItem(writer, "First Name", "f", "A");
        InputItem(writer, "Last Name", "l", "A");
        InputItem(writer, "Number", "n", "T");
        writer.WriteEndElement();
    });

    /// <summary>
    /// One page of results: <paramref name="page"/> are the entries from the 1-based position
    /// <paramref name="first"/> of <paramref name="total"/>; <paramref name="nextUrl"/> (when more follow) becomes a
    /// "Next" soft key.
    /// </summary>
    public static byte[] Results(IReadOnlyList<PhoneDirectoryEntry> page, int first, int total, string? nextUrl) => Write(writer =>
    {
        writer.WriteStartElement("CiscoIPPhoneDirectory");
        writer.WriteElementString("Title", "Corporate Directory");
        writer.WriteElementString("Prompt", page.Count == 0
            ? "No records found"
            : $"Records {first} to {first + page.Count - 1} of {total}");
        foreach (var entry in page)
        {
            writer.WriteStartElement("DirectoryEntry");
            writer.WriteElementString("Name", PhoneDirectory.DisplayName(entry));
            writer.WriteElementString("Telephone", entry.Telephone);
            writer.WriteEndElement();
        }

        var position = 1;
        if (page.Count > 0)
        {
            SoftKey(writer, "Dial", "SoftKey:Dial", position++);
            SoftKey(writer, "EditDial", "SoftKey:EditDial", position++);
        }

        SoftKey(writer, "Exit", "SoftKey:Exit", position++);
        if (nextUrl is not null)
        {
            SoftKey(writer, "Next", nextUrl, position);
        }

        writer.WriteEndElement();
    });

    private static void InputItem(XmlWriter writer, string displayName, string parameter, string flags)
    {
        writer.WriteStartElement("InputItem");
        writer.WriteElementString("DisplayName", displayName);
        writer.WriteElementString("QueryStringParam", parameter);
        writer.WriteElementString("DefaultValue", "");
        writer.WriteElementString("InputFlags", flags);
        writer.WriteEndElement();
    }

    private static void SoftKey(XmlWriter writer, string name, string url, int position)
    {
        writer.WriteStartElement("SoftKeyItem");
        writer.WriteElementString("Name", name);
        writer.WriteElementString("URL", url);
        writer.WriteElementString("Position", position.ToString(System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteEndElement();
    }

    private static byte[] Write(Action<XmlWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, Settings))
        {
            body(writer);
        }

        return buffer.ToArray();
    }
}
