using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SbdServer.Core.CertificateStore;

namespace SbdServer.Host.Api;

/// <summary>Reads a request body with a hard size limit: raw, or as strict JSON.</summary>
internal static class RequestBody
{
    /// <summary>
    /// The body as <typeparamref name="T"/> with the API's JSON options (unknown members rejected); a wrong media type,
    /// an oversized body or invalid JSON is a 400 naming <paramref name="what"/> and the offending field.
    /// </summary>
    public static async Task<T> ReadJsonAsync<T>(HttpRequest request, int maxBytes, string what, CancellationToken cancellationToken)
    {
        if (!HasMediaType(request, "application/json"))
        {
            throw new CertificateStoreException($"Send the {what} as JSON (Content-Type application/json).");
        }

        var bytes = await ReadAsync(request, maxBytes, cancellationToken);
        try
        {
            var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            return JsonSerializer.Deserialize<T>(bytes, options)
                ?? throw new CertificateStoreException($"The body must be a JSON object ({what}).");
        }
        catch (JsonException ex)
        {
            // The serializer's message names the offending field (unknown member or wrong type) without echoing values.
            var at = ex.Path is { Length: > 1 } path ? $" (at {path})" : "";
            throw new CertificateStoreException($"The body is not a valid {what}{at}: " + FirstSentence(ex.Message));
        }
    }

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

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        var text = end < 0 ? message : message[..(end + 1)];
        return text.Length <= 300 ? text : text[..300] + "...";
    }
}
