using System.Globalization;
using System.Text;
using SbdServer.Wire.Itl;

namespace SbdServer.Phone.Trust;

/// <summary>Settings > Security > Trust List: the installed CTL/ITL with their MD5/SHA-1 and records.</summary>
public sealed record TrustListMenu(TrustListHashes? Itl, TrustListHashes? Ctl, TrustListFile? ItlFile, TrustListFile? CtlFile)
{
    public static TrustListMenu Of(PhoneState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var itl = state.ReadItl();
        var ctl = state.ReadCtl();
        return new TrustListMenu(
            itl is null ? null : TrustListHashes.Of(itl),
            ctl is null ? null : TrustListHashes.Of(ctl),
            EmulatedPhone.TryParse(itl),
            EmulatedPhone.TryParse(ctl));
    }

    /// <summary>
    /// <c>ITL MD5 &lt;hex&gt;</c>, <c>ITL SHA1 &lt;hex&gt;</c> (then <c>CTL ...</c>), then each list's records as the
    /// phone's menu lists them (role, subject, issuer, serial).
    /// </summary>
    public string Render()
    {
        var text = new StringBuilder();
        Section(text, "ITL", Itl, ItlFile);
        Section(text, "CTL", Ctl, CtlFile);
        if (Itl is null && Ctl is null)
        {
            text.Append("No Trust List installed\n");
        }

        return text.ToString();
    }

    private static void Section(StringBuilder text, string name, TrustListHashes? hashes, TrustListFile? file)
    {
        if (hashes is null)
        {
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"{name} MD5 {hashes.Md5}\n");
        text.Append(CultureInfo.InvariantCulture, $"{name} SHA1 {hashes.Sha1}\n");
        if (file is null)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name} File: damaged (does not parse)\n");
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"{name} Signer {file.Header.SignerName}\n");
        var number = 0;
        foreach (var record in file.Records)
        {
            number++;
            var role = record.Role is { } r ? TrustRoles.DisplayName(r) : "";
            text.Append(CultureInfo.InvariantCulture,
                $"{name} Record {number}: {role}; {record.SubjectName}; issuer {record.IssuerName}; serial {string.Join(':', Convert.ToHexString(record.SerialNumber).Chunk(2).Select(c => new string(c)))}\n");
        }
    }
}
