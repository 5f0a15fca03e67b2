using SbdServer.Core.CertificateStore;

namespace SbdServer.Core.Impact;

/// <summary>A change would lock phones out and the caller did not confirm it.</summary>
public sealed class ConfirmationRequiredException(ImpactReport report)
    : CertificateStoreException("This change would leave phones with no certificate they already trust; repeat it with confirm=true to apply it anyway.")
{
    public ImpactReport Report { get; } = report;
}
