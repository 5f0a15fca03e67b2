using System.Net;
using SbdServer.Core.Errors;
using SbdServer.Core.Provisioning;
using SbdServer.Core.Tftp;
using SbdServer.Wire.Names;

namespace SbdServer.Host.Api;

/// <summary>
/// <c>GET /api/files/{name}[?node=]</c>: the bytes TFTP serves for a name (404 where TFTP says "file not found"), for
/// admins, QA and tests. Without <c>node</c> the whole TFTP catalogue answers (generated files, static root,
/// fallbacks); with it, the generated file as that node builds it.
/// </summary>
internal static class FileEndpoints
{
    public static RouteGroupBuilder MapFileEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/files/{*name}", async (
            string name, string? node, HttpContext context, TftpCatalogue catalogue, GeneratedFileCatalogue generated,
            CancellationToken ct) =>
        {
            if (node is not null)
            {
                if (!TftpFileName.TryNormalize(name, out var normalized))
                {
                    throw new InvalidInputException("The file name is not valid.");
                }

                var file = await generated.GetAsync(normalized, node, ct)
                    ?? (PhoneFileName.ClusterFallbackFor(normalized) is { } fallback ? await generated.GetAsync(fallback, node, ct) : null);
                return file is null
                    ? throw new NotFoundException($"Node '{Shorten(node)}' serves no generated file '{Shorten(name)}'.")
                    : Results.File(file.Bytes, "application/octet-stream");
            }

            var client = context.Connection.RemoteIpAddress ?? IPAddress.Loopback;
            var result = await catalogue.OpenAsync(name, client, TftpChannel.Http, ct);
            if (result.Status == TftpLookupStatus.InvalidName)
            {
                throw new InvalidInputException("The file name is not valid.");
            }

            if (result.Content is not { } content)
            {
                throw new NotFoundException($"File '{Shorten(name)}' not found.");
            }

            using (content)
            {
                var bytes = new byte[content.Length];
                content.Read(0, bytes);
                return Results.File(bytes, "application/octet-stream");
            }
        }).WithTags("Files");
        return api;
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "...";
}
