using SbdServer.Core.CertificateStore;

namespace SbdServer.Host.Api;

/// <summary>Reads a raw request body with a hard size limit.</summary>
internal static class RequestBody
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw new CertificateStoreException($"The request body is {request.ContentLength} bytes; the limit is {maxBytes}.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new CertificateStoreException($"The request body exceeds the limit of {maxBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>True when the request's media type (parameters ignored) is one of <paramref name="allowed"/>.</summary>
    public static bool HasMediaType(HttpRequest request, params string[] allowed)
    {
        var type = request.ContentType?.Split(';')[0].Trim();
        return type is not null && allowed.Any(a => string.Equals(a, type, StringComparison.OrdinalIgnoreCase));
    }
}
