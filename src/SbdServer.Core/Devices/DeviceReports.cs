using SbdServer.Core.Errors;

namespace SbdServer.Core.Devices;

/// <summary>
/// Phones' self-reports (issue 4 item 4): validated, normalised (hashes lower-case hex) and stored per device, the
/// newest replacing the previous one.
/// </summary>
public sealed class DeviceReports(IDeviceStore devices, IDeviceReportStore reports, TimeProvider time)
{
    public const int MaxSignerLength = 512;

    public const int MaxStatusLength = 128;

    public const int MaxFirmwareLength = 128;

    public async Task<DeviceReportView> SubmitAsync(string name, DeviceReportSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);

        // Unknown device first: a report for a phone the cluster does not know is 404 whatever its body holds.
        var device = await RequireAsync(name, cancellationToken);
        var report = new DeviceReport
        {
            Id = Guid.CreateVersion7(),
            DeviceName = device.Name,
            ItlMd5 = Hex("itlMd5", spec.ItlMd5, 32),
            ItlSha1 = Hex("itlSha1", spec.ItlSha1, 40),
            CtlMd5 = Hex("ctlMd5", spec.CtlMd5, 32),
            CtlSha1 = Hex("ctlSha1", spec.CtlSha1, 40),
            ItlSigner = Text("itlSigner", spec.ItlSigner, MaxSignerLength),
            Status = Text("status", spec.Status, MaxStatusLength),
            Firmware = Text("firmware", spec.Firmware, MaxFirmwareLength),
            LoadInformation = Text("loadInformation", spec.LoadInformation, MaxFirmwareLength),
            ReceivedAt = time.GetUtcNow(),
        };
        if (report is { ItlMd5: null, ItlSha1: null, CtlMd5: null, CtlSha1: null, ItlSigner: null, Status: null, Firmware: null, LoadInformation: null })
        {
            throw new InvalidInputException("The report is empty; send at least one of itlMd5, itlSha1, ctlMd5, ctlSha1, itlSigner, status, firmware, loadInformation.");
        }

        await reports.SaveAsync(report, cancellationToken);
        return DeviceReportView.Of(report);
    }

    /// <summary>The device's latest report, or null when it never reported.</summary>
    public async Task<DeviceReportView?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var device = await RequireAsync(name, cancellationToken);
        var report = await reports.FindAsync(device.Name, cancellationToken);
        return report is null ? null : DeviceReportView.Of(report);
    }

    /// <summary>
    /// Normalises a hash as phones and tools print it: any case, optionally grouped by <c>:</c>, <c>-</c> or spaces
    /// (the Trust List menu groups bytes). Empty means "not reported".
    /// </summary>
    public static string? Hex(string field, string? text, int digits)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (text.Length > digits * 3)
        {
            throw new InvalidInputException($"Field '{field}' has {text.Length} characters; expected {digits} hex digits.");
        }

        Span<char> buffer = stackalloc char[digits * 3];
        var count = 0;
        foreach (var c in text)
        {
            if (c is ':' or '-' or ' ')
            {
                continue;
            }

            if (!char.IsAsciiHexDigit(c))
            {
                throw new InvalidInputException($"Field '{field}' must be hexadecimal ({digits} digits); it holds a character that is not.");
            }

            buffer[count++] = char.ToLowerInvariant(c);
        }

        if (count != digits)
        {
            throw new InvalidInputException($"Field '{field}' has {count} hex digits; expected {digits}.");
        }

        return new string(buffer[..count]);
    }

    public static string? Text(string field, string? text, int maxLength)
    {
        if (text is null)
        {
            return null;
        }

        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }

        if (trimmed.Length > maxLength)
        {
            throw new InvalidInputException($"Field '{field}' has {trimmed.Length} characters; the limit is {maxLength}.");
        }

        if (trimmed.Any(char.IsControl))
        {
            throw new InvalidInputException($"Field '{field}' must not contain control characters.");
        }

        return trimmed;
    }

    private async Task<Device> RequireAsync(string name, CancellationToken cancellationToken) =>
        (DeviceName.TryParse(name, out var parsed) ? await devices.FindAsync(parsed.Value, cancellationToken) : null)
        ?? throw new NotFoundException($"No device '{(name.Length <= 40 ? name : name[..40] + "...")}'.");
}
