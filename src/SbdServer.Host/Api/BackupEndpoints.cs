using System.Security.Claims;
using SbdServer.Core.Backup;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Errors;

namespace SbdServer.Host.Api;

/// <summary><c>/api/backup</c> and <c>/api/restore</c>: the whole security state, sealed with the cluster security password.</summary>
internal static class BackupEndpoints
{
    public static RouteGroupBuilder MapBackupEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/backup", async (
            string? omitKeys, ClaimsPrincipal user, BackupService backups, TimeProvider time, ILoggerFactory logs, CancellationToken ct) =>
        {
            var options = omitKeys switch
            {
                null or "" => new BackupOptions(),
                _ when string.Equals(omitKeys, CertificateStores.CallManager, StringComparison.OrdinalIgnoreCase) => new BackupOptions(OmitCallManagerKeys: true),
                _ => throw new InvalidInputException(
                    "omitKeys: only CallManager is supported (a backup lacking CallManager.pem, CSCtn50405)."),
            };
            var archive = await backups.CreateAsync(Actor.Of(user), options, ct);
            if (options.OmitCallManagerKeys)
            {
                HostLog.KeylessBackup(logs.CreateLogger("SbdServer.Host.Backup"), Actor.Of(user));
            }

            return Results.File(archive, "application/octet-stream", $"sbd-backup-{time.GetUtcNow():yyyyMMddHHmmss}.sbdbak");
        }).WithTags("Backup");

        api.MapPost("/restore", async (
            string? missingKeys, string? preview, HttpRequest request, ClaimsPrincipal user, BackupService backups, ILoggerFactory logs,
            CancellationToken ct) =>
        {
            var options = new RestoreOptions(missingKeys?.Trim().ToLowerInvariant() switch
            {
                null or "" or "refuse" => MissingKeyPolicy.Refuse,
                "keep-current" => MissingKeyPolicy.KeepCurrent,
                _ => throw new InvalidInputException(
                    "missingKeys: give refuse (the default) or keep-current."),
            });
            var archive = await RequestBody.ReadUploadAsync(request, BackupService.MaxArchiveBytes, ct);
            if (archive.Length == 0)
            {
                throw new InvalidInputException("The body must be a backup archive from POST /api/backup (application/octet-stream).");
            }

            if (QueryFlags.Bool(preview, "preview"))
            {
                return Results.Ok(await backups.PreviewAsync(archive, options, ct));
            }

            var outcome = await backups.RestoreAsync(archive, Actor.Of(user), options, ct);
            foreach (var label in outcome.Mismatched)
            {
                HostLog.RestoredWithoutKey(logs.CreateLogger("SbdServer.Host.Backup"), label, Actor.Of(user));
            }

            return options.MissingKeys == MissingKeyPolicy.Refuse ? Results.NoContent() : Results.Ok(outcome);
        }).WithTags("Backup");

        return api;
    }
}
