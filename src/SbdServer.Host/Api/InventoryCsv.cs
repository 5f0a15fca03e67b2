using System.Globalization;
using System.Text;
using SbdServer.Core.Devices;

namespace SbdServer.Host.Api;

/// <summary>The trust inventory as CSV (RFC 4180) for spreadsheets: one row per device.</summary>
internal static class InventoryCsv
{
    public const string MediaType = "text/csv";

    private static readonly string[] Header =
    [
        "name", "model", "callManagerGroup",
        "itlState", "itlServedSha1", "itlServedAt", "itlCurrentSha1", "itlReportedSha1", "itlReportedMd5",
        "ctlState", "ctlServedSha1", "ctlCurrentSha1", "ctlReportedSha1",
        "reportedStatus", "reportedItlSigner", "reportedFirmware", "reportedAt",
    ];

    public static string Write(IReadOnlyList<DeviceInventoryEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var text = new StringBuilder();
        Row(text, Header);
        foreach (var e in entries)
        {
            Row(text,
            [
                e.Name, e.Model, e.CallManagerGroup,
                e.Itl.State.ToString(), e.Itl.ServedSha1, Time(e.Itl.ServedAt), e.Itl.CurrentSha1, e.Itl.ReportedSha1, e.Itl.ReportedMd5,
                e.Ctl.State.ToString(), e.Ctl.ServedSha1, e.Ctl.CurrentSha1, e.Ctl.ReportedSha1,
                e.Reported?.Status, e.Reported?.ItlSigner, e.Reported?.Firmware, Time(e.Reported?.ReceivedAt),
            ]);
        }

        return text.ToString();
    }

    /// <summary>True when the client asked for CSV rather than JSON.</summary>
    public static bool Wanted(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => string.Equals(a.MediaType.Value, MediaType, StringComparison.OrdinalIgnoreCase));

    private static string Time(DateTimeOffset? at) => at?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) ?? "";

    private static void Row(StringBuilder text, string?[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(Field(fields[i] ?? ""));
        }

        text.Append("\r\n");
    }

    private static string Field(string value)
    {
        // Status and signer come from phones: a leading = + - @ would be a formula in a spreadsheet.
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
