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
/// the TVS queries this node answered for it; edit it; upload its certificate; Reset goes through a confirmation page.
/// The edit and upload forms carry the version they were loaded at: a change another administrator or node made in
/// between is shown, not overwritten.
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
    public async Task<IActionResult> OnPostCertificateAsync(IFormFile? file, string? version, CancellationToken cancellationToken)
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
                var view = await devices.SetCertificateAsync(Name, copy.ToArray(), User.Identity?.Name ?? "unknown", version, cancellationToken);
                return LocalRedirect(DevicesModel.DetailsUrl(view.Name) + "&msg=" + Uri.EscapeDataString("Phone certificate stored: " + view.Certificate?.Subject));
            }
            catch (NotFoundException)
            {
                return NotFound();
            }
            catch (WriteConflictException ex)
            {
                return await ConflictAsync(ex, cancellationToken);
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

    /// <summary>The edit form, as <c>PUT /api/devices/{name}</c> with <c>If-Match</c>.</summary>
    public async Task<IActionResult> OnPostEditAsync(
        string? version, string? model, string? protocol, string? description, string? callManagerGroup,
        string? securityProfile, bool encryptedConfig, CancellationToken cancellationToken)
    {
        var spec = new DeviceSpec(null, model, protocol, description ?? "", callManagerGroup, securityProfile, encryptedConfig);
        string error;
        try
        {
            var view = await devices.UpdateAsync(Name, spec, User.Identity?.Name ?? "unknown", version, cancellationToken);
            return LocalRedirect(DevicesModel.DetailsUrl(view.Name) + "&msg=" + Uri.EscapeDataString("Device saved."));
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (WriteConflictException ex)
        {
            return await ConflictAsync(ex, cancellationToken);
        }
        catch (DomainException ex)
        {
            error = ex.Message;
        }

        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        Error = error;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    // The page shows the device as it is now (and its new version), so saving again is a decision on what is stored.
    private async Task<IActionResult> ConflictAsync(WriteConflictException conflict, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        Error = conflict.Message;
        Response.StatusCode = StatusCodes.Status409Conflict;
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
