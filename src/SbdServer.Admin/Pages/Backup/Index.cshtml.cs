using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SbdServer.Admin.Backup;
using SbdServer.Admin.Security;
using SbdServer.Core.Backup;
using SbdServer.Core.Errors;

namespace SbdServer.Admin.Pages.Backup;

/// <summary>
/// Backup (download) and Restore (upload) of the whole security state, both asking for the cluster security password
/// again; a restore first shows what the archive holds and applies it only on a second click.
/// </summary>
// The limit leaves room for the multipart framing around the largest archive BackupService takes, so an archive just
// over its limit gets the service's message rather than Kestrel's bare 413.
[RequestSizeLimit(BackupService.MaxArchiveBytes + (1 << 20))]
[RequestFormLimits(MultipartBodyLengthLimit = BackupService.MaxArchiveBytes + (1 << 20))]
public sealed class BackupModel(BackupService backups, PendingRestores pending, IAdminSignIn signIn, TimeProvider time) : PageModel
{
    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public IFormFile? Archive { get; set; }

    [BindProperty]
    public string? Upload { get; set; }

    [BindProperty(SupportsGet = true, Name = "msg")]
    public string? Message { get; set; }

    public string? Error { get; private set; }

    /// <summary>Which form <see cref="Error"/> belongs to: "backup" or "restore".</summary>
    public string? ErrorFor { get; private set; }

    /// <summary>The uploaded archive's content, awaiting the Restore click.</summary>
    public BackupSummary? Summary { get; private set; }

    /// <summary>What restoring the uploaded archive would do to the phones (the planner's view of a restore).</summary>
    public Core.Impact.ChangePlan? Impact { get; private set; }

    private string Actor => User.Identity?.Name ?? "unknown";

    public void OnGet() => Message = Message is { Length: > 300 } ? Message[..300] : Message;

    public async Task<IActionResult> OnPostDownloadAsync(CancellationToken cancellationToken)
    {
        if (!backups.IsSecurityPassword(Password))
        {
            return await RefuseAsync("backup", "The security password is wrong; no backup was made.", "backup.refused", cancellationToken);
        }

        var archive = await backups.CreateAsync(Actor, cancellationToken);
        return File(archive, "application/octet-stream", $"sbd-backup-{time.GetUtcNow():yyyyMMddHHmmss}.sbdbak");
    }

    /// <summary>Upload: checks the password and the whole archive, then shows its content; nothing changes yet.</summary>
    public async Task<IActionResult> OnPostInspectAsync(CancellationToken cancellationToken)
    {
        if (!backups.IsSecurityPassword(Password))
        {
            return await RefuseAsync("restore", "The security password is wrong; nothing was restored.", "restore.refused", cancellationToken);
        }

        if (Archive is null || Archive.Length == 0)
        {
            return await RefuseAsync("restore", "Choose a backup archive (.sbdbak) to upload.", null, cancellationToken);
        }

        if (Archive.Length > BackupService.MaxArchiveBytes)
        {
            return await RefuseAsync("restore",
                $"The file is {Archive.Length} bytes; a backup archive is at most {BackupService.MaxArchiveBytes}. Nothing was restored.",
                "restore.refused", cancellationToken, StatusCodes.Status413PayloadTooLarge);
        }

        var bytes = new byte[Archive.Length];
        await using (var stream = Archive.OpenReadStream())
        {
            await stream.ReadExactlyAsync(bytes, cancellationToken);
        }

        try
        {
            Summary = await backups.InspectAsync(bytes, cancellationToken);
            Impact = await backups.PreviewAsync(bytes, new RestoreOptions(), cancellationToken);
        }
        catch (DomainException ex)
        {
            return await RefuseAsync("restore", ex.Message, "restore.refused", cancellationToken);
        }

        Upload = pending.Hold(Actor, bytes);
        return Page();
    }

    public async Task<IActionResult> OnPostRestoreAsync(CancellationToken cancellationToken)
    {
        if (pending.Take(Actor, Upload) is not { } archive)
        {
            return await RefuseAsync("restore", "That upload has expired or was replaced; upload the archive again. Nothing was restored.", null, cancellationToken);
        }

        try
        {
            await backups.RestoreAsync(archive, Actor, cancellationToken);
        }
        catch (DomainException ex)
        {
            return await RefuseAsync("restore", ex.Message, "restore.refused", cancellationToken);
        }

        return LocalRedirect("/admin/backup?msg=" + Uri.EscapeDataString("The backup was restored; phones whose files changed were asked to reset."));
    }

    private async Task<IActionResult> RefuseAsync(
        string form, string message, string? audit, CancellationToken cancellationToken, int status = StatusCodes.Status400BadRequest)
    {
        if (audit is not null)
        {
            await signIn.AuditAsync(Actor, audit, HttpContext.Connection.RemoteIpAddress, cancellationToken);
        }

        Error = message;
        ErrorFor = form;
        Summary = null;
        Response.StatusCode = status;
        return Page();
    }
}
