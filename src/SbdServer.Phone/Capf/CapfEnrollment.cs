using System.Security.Cryptography.X509Certificates;

namespace SbdServer.Phone.Capf;

/// <summary>
/// What the phone brings to a CAPF session: its name, the authentication string the user keyed in (empty for none),
/// and the certificate it holds (its LSC, else its MIC, with the private key) for certificate authentication, for
/// Troubleshoot (fetch) and to know whether there is an LSC to delete.
/// </summary>
public sealed record CapfEnrollment(
    string DeviceName,
    string AuthString = "",
    X509Certificate2? Certificate = null,
    bool HasLsc = false);
