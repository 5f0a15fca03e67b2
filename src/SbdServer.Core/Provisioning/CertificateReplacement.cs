using SbdServer.Core.Certificates;

namespace SbdServer.Core.Provisioning;

/// <summary>
/// What a planned change puts in place of an identity certificate, for <see cref="ItlContent.EstimatedBytes"/>: the
/// new certificate when it is known (a CA-signed upload), else the key a regeneration gives its new self-signed one.
/// </summary>
public sealed record CertificateReplacement(byte[]? Der = null, KeyAlgorithm? Key = null);
