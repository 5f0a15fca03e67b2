using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SbdServer.Core.DeviceManagement;
using SbdServer.Core.Devices;
using SbdServer.Core.Errors;
using SbdServer.Core.Provisioning;
using SbdServer.Core.Tvs;

namespace SbdServer.Admin.Pages.Devices;

/// <summary>
/// One phone: profile and group, the trust lists it was served (hashes) against the current ones, its last report,
/// the TVS queries this node answered for it; upload its certificate; Reset goes through a confirmation page.
/// </summary>
public sealed class DeviceDetailsModel(
    DeviceManager devices, DeviceTrustInventory inventory, DeviceReports reports, TvsQueryLog tvsQueries) : PageModel
{
    /// <summary>TVS queries shown; the node keeps the latest of all phones in memory only.</summary>
    public const int TvsQueryRows = 20;

    [BindProperty(SupportsGet = true)]
    public string Name { get; set; } = "";

    [BindProperty(SupportsGet = true, Name = "msg")]
    public string? Message { get; set; }

    public DeviceView Device { get; private set; } = null!;

    public IReadOnlyList<DeviceTrustFileView> Trust { get; private set; } = [];

    public DeviceReportView? Report { get; private set; }

    public IReadOnlyList<TvsQueryRecord> TvsQueries { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Message = Message is { Length: > 200 } ? null : Message;
        return await LoadAsync(cancellationToken) ? Page() : NotFound();
    }

    /// <summary>The phone's LSC or MIC (PEM or DER), as <c>PUT /api/devices/{name}/certificate</c>.</summary>
    public async Task<IActionResult> OnPostCertificateAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        string? error = null;
        if (file is null || file.Length == 0)
        {
            error = "Choose the phone's certificate file (PEM or DER).";
        }
        else if (file.Length > DeviceManager.MaxCertificateBytes)
        {
            error = $"The file is {file.Length} bytes; a phone certificate is at most {DeviceManager.MaxCertificateBytes}.";
        }
        else
        {
            using var copy = new MemoryStream();
            await file.CopyToAsync(copy, cancellationToken);
            try
            {
                var view = await devices.SetCertificateAsync(Name, copy.ToArray(), User.Identity?.Name ?? "unknown", cancellationToken);
                return LocalRedirect(DevicesModel.DetailsUrl(view.Name) + "&msg=" + Uri.EscapeDataString("Phone certificate stored: " + view.Certificate?.Subject));
            }
            catch (NotFoundException)
            {
                return NotFound();
            }
            catch (DomainException ex)
            {
                error = ex.Message;
            }
        }

        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        Error = error;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            Device = await devices.GetAsync(Name, cancellationToken);
            Trust = await inventory.GetAsync(Device.Name, cancellationToken);
            Report = await reports.GetAsync(Device.Name, cancellationToken);
        }
        catch (NotFoundException)
        {
            return false;
        }

        Name = Device.Name;
        TvsQueries = tvsQueries.Recent(Device.Name, TvsQueryRows);
        return true;
    }

    public static string When(DateTimeOffset? at) =>
        at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture) ?? "never";
}
