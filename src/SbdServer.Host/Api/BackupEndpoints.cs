using System.Security.Claims;
using SbdServer.Core.Backup;
using SbdServer.Core.CertificateStore;

namespace SbdServer.Host.Api;

/// <summary><c>/api/backup</c> and <c>/api/restore</c>: the whole security state, sealed with the cluster security password.</summary>
internal static class BackupEndpoints
{
    public static RouteGroupBuilder MapBackupEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/backup", async (ClaimsPrincipal user, BackupService backups, TimeProvider time, CancellationToken ct) =>
        {
            var archive = await backups.CreateAsync(Actor.Of(user), ct);
            return Results.File(archive, "application/octet-stream", $"sbd-backup-{time.GetUtcNow():yyyyMMddHHmmss}.sbdbak");
        }).WithTags("Backup");

        api.MapPost("/restore", async (
            HttpRequest request, ClaimsPrincipal user, BackupService backups, CancellationToken ct) =>
        {
            var archive = await RequestBody.ReadAsync(request, BackupService.MaxArchiveBytes, ct);
            if (archive.Length == 0)
            {
                throw new CertificateStoreException("The body must be a backup archive from POST /api/backup (application/octet-stream).");
            }

            await backups.RestoreAsync(archive, Actor.Of(user), ct);
            return Results.NoContent();
        }).WithTags("Backup");

        return api;
    }
}
