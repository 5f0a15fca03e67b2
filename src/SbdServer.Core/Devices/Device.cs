using SbdServer.Core.Capf;

namespace SbdServer.Core.Devices;

/// <summary>A phone as CUCM's device table knows it (issue 4 item 1).</summary>
public sealed class Device
{
    public Guid Id { get; set; }

    /// <summary><c>SEP</c> plus 12 upper-case hex digits (see <see cref="DeviceName"/>).</summary>
    public required string Name { get; set; }

    /// <summary>Model number as in <see cref="PhoneModels"/>, e.g. <c>8861</c>.</summary>
    public required string Model { get; set; }

    public DeviceProtocol Protocol { get; set; }

    public string Description { get; set; } = "";

    /// <summary>CallManager group of the device pool (CUCM: device pool -> CallManager group).</summary>
    public required string CallManagerGroup { get; set; }

    /// <summary>Phone security profile mode.</summary>
    public DeviceSecurityMode SecurityMode { get; set; } = DeviceSecurityMode.NonSecure;

    /// <summary>"TFTP Encrypted Config" of the security profile.</summary>
    public bool EncryptedConfig { get; set; }

    /// <summary>The phone's LSC or MIC (DER) the encrypted config is wrapped for; null until uploaded.</summary>
    public byte[]? CertificateDer { get; set; }

    /// <summary>MD5 of <see cref="CertificateDer"/>, lower-case hex (the config's <c>certHash</c>).</summary>
    public string? CertificateMd5 { get; set; }

    /// <summary>SHA-256 of <see cref="CertificateDer"/>, lower-case hex.</summary>
    public string? CertificateSha256 { get; set; }

    public string? CertificateSubject { get; set; }

    /// <summary>When a reset was asked for and not yet acknowledged by the phone; null when none is pending.</summary>
    public DateTimeOffset? ResetRequestedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The CAPF operation scheduled for the phone's next CAPF session (CUCM's "Certificate Operation").</summary>
    public CapfOperation CapfOperation { get; set; }

    public CapfAuthMode CapfAuthMode { get; set; } = CapfAuthMode.NullString;

    /// <summary>4-10 digits the user keys in under Security Setup &gt; LSC; only with <see cref="CapfAuthMode.AuthenticationString"/>.</summary>
    public string? CapfAuthString { get; set; }

    public CapfKeyKind CapfKeyType { get; set; } = CapfKeyKind.Rsa;

    /// <summary>RSA modulus bits (1024, 2048, 4096) or EC curve size (256, 384, 521).</summary>
    public int CapfKeySize { get; set; } = 2048;

    /// <summary>"Operation Completes By": after it the scheduled operation is refused and marked failed.</summary>
    public DateTimeOffset? CapfCompletesBy { get; set; }

    public CapfStatus CapfStatus { get; set; }

    /// <summary>Why the last CAPF attempt failed (or what it did), in the operator's words.</summary>
    public string? CapfStatusReason { get; set; }

    public DateTimeOffset? CapfLastAttemptAt { get; set; }

    /// <summary>Refused authentication attempts since the operation was scheduled.</summary>
    public int CapfFailedAttempts { get; set; }

    /// <summary>The LSC this cluster's CAPF issued to the phone (DER); null when none or deleted.</summary>
    public byte[]? LscDer { get; set; }

    /// <summary>The manufacturing certificate the phone last showed CAPF (authentication or fetch); the fallback after delete.</summary>
    public byte[]? MicDer { get; set; }

    /// <summary>
    /// Row version: 1 when added, incremented by each committed change; the store refuses a change read at another
    /// version (docs/adr/0003-cluster-writes.md, "Row versions").
    /// </summary>
    public long Version { get; set; } = 1;
}
