using System.Security.Claims;
using SbdServer.Core.CertificateManagement;
using SbdServer.Core.Certificates;
using SbdServer.Core.Errors;

namespace SbdServer.Host.Api;

/// <summary><c>/api/trust/{store}</c>: upload (raw PEM or DER body) and delete by SHA-256.</summary>
internal static class TrustEndpoints
{
    public static RouteGroupBuilder MapTrustEndpoints(this RouteGroupBuilder api)
    {
        var trust = api.MapGroup("/trust").WithTags("Trust stores");

        trust.MapPost("/{store}", async (
            string store, HttpRequest request, ClaimsPrincipal user, TrustStoreUploads manager, CancellationToken ct) =>
        {
            if (!RequestBody.HasMediaType(request, "application/x-pem-file", "application/pkix-cert"))
            {
                throw new InvalidInputException(
                    "Send the certificate as the raw body with Content-Type application/x-pem-file (PEM, chains allowed) " +
                    "or application/pkix-cert (DER).");
            }

            var body = await RequestBody.ReadAsync(request, ICertificateCodec.MaxInputBytes, ct);
            return Results.Ok(await manager.UploadTrustAsync(store, body, Actor.Of(user), ct));
        });

        trust.MapDelete("/{store}/{sha256}", async (
            string store, string sha256, ClaimsPrincipal user, TrustStoreUploads manager, CancellationToken ct) =>
        {
            await manager.DeleteTrustAsync(store, sha256, Actor.Of(user), ct);
            return Results.NoContent();
        });

        return api;
    }
}
