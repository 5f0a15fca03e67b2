using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;

namespace SbdServer.Host.Api;

/// <summary>Parses optional query values with a reason when they are wrong (instead of a bare binding failure).</summary>
internal static class QueryFlags
{
    public static bool Bool(string? value, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        return bool.TryParse(value, out var result)
            ? result
            : throw new CertificateStoreException($"Query parameter '{name}' must be true or false.");
    }

    public static KeyAlgorithm? Key(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return Enum.TryParse<KeyAlgorithm>(value, ignoreCase: true, out var key) && Enum.IsDefined(key)
            ? key
            : throw new CertificateStoreException(
                $"Query parameter 'keyAlgorithm' must be one of {string.Join(", ", Enum.GetNames<KeyAlgorithm>())}.");
    }
}
