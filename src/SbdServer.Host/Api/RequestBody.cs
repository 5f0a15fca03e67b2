using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SbdServer.Core.Errors;

namespace SbdServer.Host.Api;

/// <summary>Reads a request body with a hard size limit: raw, or as strict JSON.</summary>
internal static class RequestBody
{
    private const int ReadChunkBytes = 81920;

    /// <summary>
    /// The body as <typeparamref name="T"/> with the API's JSON options (unknown members rejected); a wrong media type,
    /// invalid JSON, an unknown field or a field of the wrong type is a 400 naming <paramref name="what"/> and the field,
    /// an oversized body a 400.
    /// </summary>
    public static async Task<T> ReadJsonAsync<T>(HttpRequest request, int maxBytes, string what, CancellationToken cancellationToken)
    {
        if (!HasMediaType(request, "application/json"))
        {
            throw new InvalidInputException($"Send the {what} as JSON (Content-Type application/json).");
        }

        var bytes = await ReadAsync(request, maxBytes, cancellationToken);
        if (bytes.Length == 0)
        {
            throw new InvalidInputException($"The body is empty; send the {what} as a JSON object.");
        }

        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            using var _ = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            throw new InvalidInputException(
                $"The body is not well-formed JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}); send the {what} as a JSON object.");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(bytes, options)
                ?? throw new InvalidInputException($"The body must be a JSON object ({what}).");
        }
        catch (JsonException ex)
        {
            // Well-formed, so the serializer refused a member: say which one and what it takes, in JSON's terms.
            throw new InvalidInputException($"The body is not a valid {what}: {JsonFieldProblem.Describe(options, typeof(T), ex.Path)}");
        }
    }

    /// <summary>The raw body, at most <paramref name="maxBytes"/> (400 above it).</summary>
    public static Task<byte[]> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken) =>
        ReadAsync(request, maxBytes, (message, _) => new InvalidInputException(message), cancellationToken);

    /// <summary>
    /// An uploaded file (a backup archive, a bulk PKCS#12) as the raw body, at most <paramref name="maxBytes"/>, which
    /// may be above the server's own body limit: that limit is raised for this request, and a larger body is a 413.
    /// </summary>
    public static Task<byte[]> ReadUploadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken) =>
        ReadAsync(request, maxBytes, (message, limit) => new RequestTooLargeException(message + " Nothing was changed.", limit), cancellationToken);

    private static async Task<byte[]> ReadAsync(
        HttpRequest request, int maxBytes, Func<string, int, DomainException> tooLarge, CancellationToken cancellationToken)
    {
        // Above the route's limit, so our own checks say what went wrong (Kestrel's would say it for chunked bodies),
        // and the server can still drain a body refused for its declared length before the client reads the answer.
        var serverLimit = maxBytes + (long)ReadChunkBytes;
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit
            && limit.MaxRequestBodySize < serverLimit)
        {
            limit.MaxRequestBodySize = serverLimit;
        }

        if (request.ContentLength > maxBytes)
        {
            throw tooLarge($"The request body is {request.ContentLength} bytes; the limit is {maxBytes}.", maxBytes);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[ReadChunkBytes];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw tooLarge($"The request body exceeds the limit of {maxBytes} bytes.", maxBytes);
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

/// <summary>
/// Says which member of a JSON body the serializer refused and what it takes, from the JSON path and the body type's
/// contract (never from the serializer's message, which names .NET types).
/// </summary>
internal static class JsonFieldProblem
{
    public static string Describe(JsonSerializerOptions options, Type root, string? path)
    {
        var info = options.GetTypeInfo(root);
        var at = "$";
        JsonPropertyInfo? property = null;
        foreach (var segment in Segments(path))
        {
            if (segment.Index is not null)
            {
                at += $"[{segment.Index}]";
                info = info.ElementType is { } element ? options.GetTypeInfo(element) : info;
                property = null;
                continue;
            }

            var name = segment.Name!;
            property = info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                var known = string.Join(", ", info.Properties.Select(p => p.Name));
                return $"unknown field '{Clip(name)}'{Where(at)}; the fields are {known}.";
            }

            at += "." + property.Name;
            info = options.GetTypeInfo(property.PropertyType);
        }

        return at == "$"
            ? $"the body must be a JSON {Kind(info.Type)}."
            : $"field '{at[2..]}' must be {Article(Kind(info.Type))}.";
    }

    /// <summary>JSON's word for what a .NET type takes.</summary>
    private static string Kind(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return "string";
        }

        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
        {
            return "date and time string (ISO 8601, e.g. 2026-12-31T18:00:00Z)";
        }

        if (type.IsEnum)
        {
            return "string, one of " + string.Join(", ", Enum.GetNames(type));
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte))
        {
            return "whole number";
        }

        if (type == typeof(double) || type == typeof(decimal) || type == typeof(float))
        {
            return "number";
        }

        return type != typeof(string) && type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            ? "array"
            : "object";
    }

    private static string Article(string kind) => kind switch
    {
        "true or false" => kind,
        "array" or "object" => "an " + kind,
        _ => "a " + kind,
    };

    private static string Where(string at) => at == "$" ? "" : $" in {at[2..]}";

    private static string Clip(string text) => new([.. text.Take(40).Select(c => char.IsControl(c) ? '?' : c)]);

    private static IEnumerable<(string? Name, int? Index)> Segments(string? path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '$')
        {
            yield break;
        }

        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = i + 1;
                while (end < path.Length && path[end] is not ('.' or '['))
                {
                    end++;
                }

                yield return (path[(i + 1)..end], null);
                i = end;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == '\'')
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    yield break;
                }

                yield return (path[(i + 2)..end], null);
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0 || !int.TryParse(path.AsSpan(i + 1, end - i - 1), out var index))
                {
                    yield break;
                }

                yield return (null, index);
                i = end + 1;
            }
            else
            {
                yield break;
            }
        }
    }
}
