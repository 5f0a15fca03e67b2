using System.Security.Claims;
using SbdServer.Core.CertificateManagement;
using SbdServer.Core.Certificates;
using SbdServer.Core.Diagnostics;
using SbdServer.Core.Errors;

namespace SbdServer.Host.Api;

/// <summary><c>/api/nodes</c>: nodes, their certificates, regeneration, host name change, ITL propagation.</summary>
internal static class NodeEndpoints
{
    private const int MaxJsonBytes = 16 * 1024;

    public static RouteGroupBuilder MapNodeEndpoints(this RouteGroupBuilder api)
    {
        var nodes = api.MapGroup("/nodes").WithTags("Nodes");

        nodes.MapGet("/", async (CertificateQueries manager, CancellationToken ct) =>
            Results.Ok(await manager.GetNodesAsync(ct)));

        nodes.MapGet("/{node}/certificates", async (string node, CertificateQueries manager, CancellationToken ct) =>
            Results.Ok(await manager.GetCertificatesAsync(node, ct)));

        nodes.MapGet("/{node}/certificates/{name}/pem", async (
            string node, string name, CertificateQueries manager, ICertificateCodec codec, CancellationToken ct) =>
        {
            var der = await manager.GetCertificateDerAsync(node, name, ct);
            return Results.Text(codec.WriteCertificatePem(der), "application/x-pem-file");
        });

        nodes.MapPost("/{node}/certificates/{name}/regenerate", async (
            string node, string name, string? confirm, string? keyAlgorithm, string? dryRun, ClaimsPrincipal user,
            CertificateRegeneration manager, ILogger<CertificateRegeneration> logger, CancellationToken ct) =>
        {
            var key = QueryFlags.Key(keyAlgorithm);
            var confirmed = QueryFlags.Bool(confirm, "confirm");
            if (QueryFlags.Bool(dryRun, "dryRun"))
            {
                return Results.Ok(await manager.PreviewAsync(node, name, key, ct));
            }

            var actor = Actor.Of(user);
            var report = await manager.RegenerateAsync(node, name, key, confirmed, actor, ct);
            var target = LogText.Escape(node + "/" + name);
            HostLog.AdminAction(logger, actor, "regenerated", target);
            return Results.Ok(report);
        });

        nodes.MapPost("/{node}/certificates/{name}/csr", async (
            string node, string name, string? keyAlgorithm, ClaimsPrincipal user, CertificateSigningRequests manager,
            CancellationToken ct) =>
        {
            var csr = await manager.CreateCsrAsync(node, name, QueryFlags.Key(keyAlgorithm), Actor.Of(user), ct);
            return Results.Text(new string(System.Security.Cryptography.PemEncoding.Write("CERTIFICATE REQUEST", csr)) + "\n", "application/pkcs10");
        });

        nodes.MapGet("/{node}/certificates/{name}/csr", async (
            string node, string name, CertificateSigningRequests manager, CancellationToken ct) =>
            Results.Text((await manager.GetPendingAsync(node, name, ct)).Pem, "application/pkcs10"));

        nodes.MapDelete("/{node}/certificates/{name}/csr", async (
            string node, string name, ClaimsPrincipal user, CertificateSigningRequests manager,
            ILogger<CertificateSigningRequests> logger, CancellationToken ct) =>
        {
            var actor = Actor.Of(user);
            await manager.DeletePendingAsync(node, name, actor, ct);
            var target = LogText.Escape(node + "/" + name);
            HostLog.AdminAction(logger, actor, "deleted the pending CSR of", target);
            return Results.NoContent();
        });

        nodes.MapPost("/{node}/certificates/{name}/signed", async (
            string node, string name, string? confirm, HttpRequest request, ClaimsPrincipal user,
            CertificateSigningRequests manager, CancellationToken ct) =>
        {
            if (!RequestBody.HasMediaType(request, "application/x-pem-file", "application/pkix-cert"))
            {
                throw new InvalidInputException(
                    "Send the CA-signed certificate as the raw body with Content-Type application/x-pem-file (PEM, chain " +
                    "allowed) or application/pkix-cert (DER).");
            }

            var confirmed = QueryFlags.Bool(confirm, "confirm");
            var body = await RequestBody.ReadAsync(request, ICertificateCodec.MaxInputBytes, ct);
            return Results.Ok(await manager.AcceptSignedAsync(node, name, body, confirmed, Actor.Of(user), ct));
        });

        nodes.MapPut("/{node}/host", async (
            string node, HttpRequest request, string? confirm, ClaimsPrincipal user, NodeHostChange manager,
            CancellationToken ct) =>
        {
            var body = await RequestBody.ReadJsonAsync<HostChange>(request, MaxJsonBytes, "host change", ct);
            if (body.HostAddress is not null && body.Fqdn is null && body.Address is null)
            {
                return Results.Ok(await manager.SetHostAddressAsync(node, body.HostAddress, Actor.Of(user), ct));
            }

            if (string.IsNullOrWhiteSpace(body.Fqdn) || body.HostAddress is not null)
            {
                throw new InvalidInputException(
                    "The body must be {\"hostAddress\": \"...\"} (Host Name/IP Address configs name the node by) or " +
                    "{\"fqdn\": \"...\", \"address\": \"...\"} (rename: regenerates the node's certificates), not both.");
            }

            return Results.Ok(await manager.ChangeHostAsync(
                node, body.Fqdn.Trim(), body.Address?.Trim(), QueryFlags.Bool(confirm, "confirm"), Actor.Of(user), ct));
        });

        nodes.MapPost("/{node}/itl/propagated", async (
            string node, ClaimsPrincipal user, ItlResets manager, CancellationToken ct) =>
        {
            await manager.MarkItlPropagatedAsync(node, Actor.Of(user), ct);
            return Results.NoContent();
        });

        return api;
    }
}
