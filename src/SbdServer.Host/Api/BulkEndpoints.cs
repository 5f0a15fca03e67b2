using System.Security.Claims;
using SbdServer.Core.CertificateManagement;
using SbdServer.Core.Certificates;

namespace SbdServer.Host.Api;

/// <summary>
/// Bulk certificate management between clusters: export a node's CallManager/ITLRecovery/tomcat/CAPF certificate as
/// PKCS#12 and import another cluster's file into the mapped trust stores. The password travels in the
/// <c>X-Sbd-Password</c> header so it never lands in URLs or access logs.
/// </summary>
internal static class BulkEndpoints
{
    public const string PasswordHeader = "X-Sbd-Password";

    public static RouteGroupBuilder MapBulkEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/nodes/{node}/certificates/{name}/export", async (
            string node, string name, HttpRequest request, ClaimsPrincipal user, BulkCertificates manager, CancellationToken ct) =>
        {
            var pkcs12 = await manager.ExportPkcs12Async(node, name, request.Headers[PasswordHeader].FirstOrDefault(), Actor.Of(user), ct);
            return Results.File(pkcs12, "application/x-pkcs12", $"{node}-{name}.p12");
        }).WithTags("Bulk certificates");

        api.MapPost("/bulk/import/{name}", async (
            string name, HttpRequest request, ClaimsPrincipal user, BulkCertificates manager, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadUploadAsync(request, ICertificateCodec.MaxInputBytes, ct);
            return Results.Ok(await manager.ImportBulkAsync(name, body, request.Headers[PasswordHeader].FirstOrDefault(), Actor.Of(user), ct));
        }).WithTags("Bulk certificates");

        return api;
    }
}
