using SbdServer.Core.Errors;

namespace SbdServer.Core.Impact;

/// <summary>A change would lock phones out and the caller did not confirm it; <see cref="Report"/> says which and why.</summary>
public sealed class ConfirmationRequiredException(ImpactReport report)
    : ConflictException("This change would leave phones with no certificate they already trust; repeat it with confirm=true to apply it anyway.")
{
    public ImpactReport Report { get; } = report;
}
