using System.ComponentModel.DataAnnotations;

namespace SbdServer.Crypto.Keys;

/// <summary>Cost of deriving keys from the cluster security password (configuration section <c>Sbd:Security</c>).</summary>
public sealed class KeyProtectionOptions
{
    public const string Section = "Sbd:Security";

    /// <summary>OWASP's 2023 figure for PBKDF2-HMAC-SHA256.</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>Upper bound accepted from a blob header, so a forged header cannot stall the service.</summary>
    public const int MaxIterations = 10_000_000;

    /// <summary>PBKDF2 rounds for new blobs and archives. Lower it only in tests.</summary>
    [Range(1, MaxIterations, ErrorMessage = "Sbd:Security:Pbkdf2Iterations must be 1 to 10000000.")]
    public int Pbkdf2Iterations { get; set; } = DefaultIterations;

    internal void Validate()
    {
        if (Pbkdf2Iterations is < 1 or > MaxIterations)
        {
            throw new ArgumentOutOfRangeException(
                nameof(Pbkdf2Iterations), Pbkdf2Iterations, $"PBKDF2 iterations must be 1 to {MaxIterations}.");
        }
    }
}
